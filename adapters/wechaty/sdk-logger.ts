/**
 * Routes wechaty's own log lines (brolog, printed to standard output by default) into our logger.
 * With WECHATY_LOG=verbose, wechaty and its puppets log their options, the puppet token among
 * them, and the messages they receive: lines lose every secret we know of and anything that looks
 * like a token, and its info and verbose lines become debug and trace (the adapter reports state itself).
 */
import type { Logger } from '../../src/log.js';

/** wechaty's `log` export (a Brolog), as far as we use it. */
export interface Brolog {
  enableLogging(printer: (levelTitle: string, text?: string) => void): unknown;
}

const TOKEN_FIELD = /("?(?:token|secret|password)"?\s*[:=]\s*"?)[^"\s,}&]+/gi;
/** wechaty's Io client logs `token[…]`. */
const TOKEN_BRACKET = /(token\[)[^\]]*/gi;

export function scrubWechaty(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  return out.replace(TOKEN_FIELD, '$1[redacted]').replace(TOKEN_BRACKET, '$1[redacted]');
}

export function routeWechatyLog(brolog: Brolog, log: Logger, secrets: readonly string[]): void {
  brolog.enableLogging((levelTitle, text) => {
    const line = scrubWechaty(text ?? '', secrets);
    if (levelTitle === 'ERR' || levelTitle === 'WARN') log.warn({ sdk: 'wechaty' }, line);
    else if (levelTitle === 'INFO') log.debug({ sdk: 'wechaty' }, line);
    else log.trace({ sdk: 'wechaty' }, line);
  });
}
