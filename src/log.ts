import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';
import pretty from 'pino-pretty';

export type Logger = PinoLogger;

/** Field names whose values never reach a log line, at any depth we log. */
const SECRET_KEYS = [
  'secret', 'appSecret', 'app_secret', 'clientSecret', 'client_secret', 'token', 'accessToken',
  'access_token', 'tenant_access_token', 'password', 'authorization', 'sessionWebhook',
];
const redactPaths = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

export interface LogOptions {
  level?: string;
  /** Human-readable lines (for terminals); JSON lines otherwise. */
  pretty?: boolean;
  /** Where lines go; stderr by default so stdout stays the console transcript. */
  destination?: DestinationStream | NodeJS.WritableStream;
}

export function createLogger(opts: LogOptions = {}): Logger {
  const level = opts.level ?? 'info';
  const redact = { paths: redactPaths, censor: '[redacted]' };
  if (opts.pretty) {
    const stream = pretty({
      colorize: Boolean(process.stderr.isTTY),
      destination: (opts.destination as NodeJS.WritableStream | undefined) ?? 2,
      sync: true,
      ignore: 'pid,hostname',
      translateTime: 'SYS:HH:MM:ss',
    });
    return pino({ level, redact }, stream);
  }
  return pino({ level, redact }, (opts.destination as DestinationStream | undefined) ?? pino.destination({ fd: 2, sync: true }));
}

/** node-cron's own messages go to our log (it prints to the console otherwise, into the conversation). */
export function cronLogger(log: Logger): Record<'info' | 'warn' | 'error' | 'debug', (m: string | Error, e?: Error) => void> {
  const fields = (e?: Error) => ({ source: 'node-cron', ...(e ? { err: e.message } : {}) });
  const text = (m: string | Error) => (m instanceof Error ? m.message : m);
  return {
    info: (m) => log.info(fields(), text(m)),
    warn: (m) => log.warn(fields(), text(m)),
    error: (m, e) => log.error(fields(e ?? (m instanceof Error ? m : undefined)), text(m)),
    debug: (m, e) => log.debug(fields(e), text(m)),
  };
}

/** A logger that drops everything, for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
