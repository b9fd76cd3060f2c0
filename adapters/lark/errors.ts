/** Lark answers and failures as the outbox's SendError: what to retry, and when. */
import { SendError } from '../../src/model.js';

/** Frequency limits: the app-wide gateway limit and IM's per-chat/per-user limit. */
const RATE_LIMIT_CODES = new Set([99991400, 230020]);
/** The tenant token was rejected (expired early or rotated): fetch a new one and retry. */
export const TOKEN_INVALID_CODES = new Set([99991661, 99991663, 99991668]);

export interface LarkFailure {
  error: SendError;
  tokenInvalid: boolean;
}

interface HttpErrorLike {
  message?: string;
  code?: string;
  response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
}

interface LarkBody {
  code?: number;
  msg?: string;
}

function retryAfterMs(headers: Record<string, unknown> | undefined): number | undefined {
  // Seconds until the gateway's window resets.
  const reset = Number(headers?.['x-ogw-ratelimit-reset']);
  return Number.isFinite(reset) && reset > 0 ? reset * 1000 : undefined;
}

/** A Lark body with a non-zero code (whatever the HTTP status) as a failure. */
export function bodyFailure(body: LarkBody, status = 200, headers?: Record<string, unknown>): LarkFailure {
  const code = body.code ?? -1;
  const what = `Lark ${status} code ${code}: ${body.msg ?? 'no message'}`;
  if (status === 429 || RATE_LIMIT_CODES.has(code)) {
    return { error: new SendError(`rate limited (${what})`, true, retryAfterMs(headers)), tokenInvalid: false };
  }
  if (TOKEN_INVALID_CODES.has(code)) return { error: new SendError(what, true), tokenInvalid: true };
  if (status >= 500) return { error: new SendError(what, true), tokenInvalid: false };
  return { error: new SendError(what, false), tokenInvalid: false };
}

/** A thrown SDK call: HTTP error answers by their body, everything else (network, token fetch) is retryable. */
export function thrownFailure(err: unknown): LarkFailure {
  const e = (err ?? {}) as HttpErrorLike;
  const res = e.response;
  if (res && typeof res.status === 'number') {
    const body = (res.data && typeof res.data === 'object' ? res.data : {}) as LarkBody;
    return bodyFailure(body, res.status, res.headers);
  }
  const detail = [e.code, e.message].filter(Boolean).join(' ') || String(err);
  return { error: new SendError(`Lark unreachable or token unavailable: ${detail}`, true), tokenInvalid: false };
}
