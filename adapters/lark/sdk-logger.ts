/**
 * Routes the SDK's own log lines into our logger. The SDK logs whole axios errors (their request
 * bodies carry app_secret and message text), so every argument is reduced to a few known-safe
 * fields before it reaches a log line. Its own text lines are scrubbed too: at debug it logs the
 * long-connection URL, whose query carries the connection's access_key and ticket, and the
 * events it receives (parents' messages).
 */
import type { Logger } from '../../src/log.js';

const SAFE_FIELDS = ['message', 'code', 'msg', 'status', 'statusText'] as const;

function describe(arg: unknown): string {
  if (typeof arg === 'string' || typeof arg === 'number' || typeof arg === 'boolean') return String(arg);
  if (Array.isArray(arg)) return arg.map(describe).filter(Boolean).join(' ');
  if (arg && typeof arg === 'object') {
    const o = arg as Record<string, unknown>;
    const parts = SAFE_FIELDS.filter((k) => typeof o[k] === 'string' || typeof o[k] === 'number').map((k) => `${k}=${String(o[k])}`);
    // formatErrors() nests the HTTP status under `response`.
    const response = o.response as Record<string, unknown> | undefined;
    if (response && typeof response === 'object' && typeof response.status === 'number') parts.push(`status=${response.status}`);
    return parts.join(' ');
  }
  return '';
}

/** Every query value becomes [redacted]; a received event's body is left out. */
export function scrub(line: string): string {
  return line.replace(/([?&][^=&\s]+=)[^&\s]*/g, '$1[redacted]').replace(/(; data: )[\s\S]*$/, '$1[omitted]');
}

/**
 * The SDK calls each level with an array of arguments (its LoggerProxy wraps them). Its errors
 * become warnings and its info lines debug: the adapter reports status and send failures itself.
 */
export function sdkLogger(log: Logger): { error(...a: unknown[]): void; warn(...a: unknown[]): void; info(...a: unknown[]): void; debug(...a: unknown[]): void; trace(...a: unknown[]): void } {
  const line = (args: unknown[]) => scrub(describe(args));
  return {
    error: (...a) => log.warn({ sdk: 'lark' }, line(a)),
    warn: (...a) => log.warn({ sdk: 'lark' }, line(a)),
    info: (...a) => log.debug({ sdk: 'lark' }, line(a)),
    debug: (...a) => log.debug({ sdk: 'lark' }, line(a)),
    trace: (...a) => log.trace({ sdk: 'lark' }, line(a)),
  };
}
