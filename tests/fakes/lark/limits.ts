/**
 * The message API's frequency limits as Lark documents them: 5 messages/s to one chat (shared by
 * the chat's bots) or one user, and 50/s and 1,000/min per app. Modelled as sliding windows,
 * which is stricter than any fixed-window counter: a sender that never trips these trips none of
 * Lark's. Only sends Lark accepted count (a refused one posts nothing).
 */

export type LimitName = 'perChat' | 'appPerSecond' | 'appPerMinute';

interface Limit {
  max: number;
  windowMs: number;
}

export const LARK_LIMITS: Record<LimitName, Limit> = {
  perChat: { max: 5, windowMs: 1000 },
  appPerSecond: { max: 50, windowMs: 1000 },
  appPerMinute: { max: 1000, windowMs: 60_000 },
};

export type Violations = Record<LimitName, number>;

export class SendLimits {
  /** Refused sends, by the limit they would have broken (one send can break several). */
  readonly violations: Violations = { perChat: 0, appPerSecond: 0, appPerMinute: 0 };
  /** Sends accepted, in total. */
  accepted = 0;
  private readonly app: number[] = [];
  private readonly perTarget = new Map<string, number[]>();

  constructor(private readonly now: () => number) {}

  /** Records a send to `target` if it fits every limit; otherwise returns the limits it breaks. */
  admit(target: string): LimitName[] {
    const now = this.now();
    const app = prune(this.app, now - LARK_LIMITS.appPerMinute.windowMs);
    const chat = prune(this.perTarget.get(target) ?? [], now - LARK_LIMITS.perChat.windowMs);
    const broken: LimitName[] = [];
    if (app.length >= LARK_LIMITS.appPerMinute.max) broken.push('appPerMinute');
    if (since(app, now - LARK_LIMITS.appPerSecond.windowMs) >= LARK_LIMITS.appPerSecond.max) broken.push('appPerSecond');
    if (chat.length >= LARK_LIMITS.perChat.max) broken.push('perChat');
    for (const b of broken) this.violations[b]++;
    if (broken.length === 0) {
      app.push(now);
      chat.push(now);
      this.accepted++;
    }
    if (chat.length > 0) this.perTarget.set(target, chat);
    else this.perTarget.delete(target);
    return broken;
  }

  /** Seconds until the app's oldest send in the broken window leaves it (Lark's x-ogw-ratelimit-reset). */
  resetSec(limit: LimitName): number {
    const { max, windowMs } = LARK_LIMITS[limit];
    const now = this.now();
    const inWindow = this.app.filter((t) => t > now - windowMs);
    const oldest = inWindow[inWindow.length - max] ?? now;
    return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
  }
}

/** Drops timestamps at or before `after` from the front (they are in order), in place. */
function prune(times: number[], after: number): number[] {
  let i = 0;
  while (i < times.length && (times[i] ?? 0) <= after) i++;
  if (i > 0) times.splice(0, i);
  return times;
}

function since(times: number[], after: number): number {
  let n = 0;
  for (let i = times.length - 1; i >= 0 && (times[i] ?? 0) > after; i--) n++;
  return n;
}
