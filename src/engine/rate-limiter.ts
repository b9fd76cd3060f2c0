import type { RateBudget } from '../model.js';

/** Sliding-window send budgets per key, on the injected clock's time. */
export class RateLimiter {
  private readonly sent = new Map<string, number[]>();

  /** When a send under `budget` for `key` is next allowed (≤ now means now). */
  availableAt(key: string, budget: RateBudget, now: number): number {
    const times = this.prune(key, budget, now);
    return times.length < budget.max ? now : times[times.length - budget.max]! + budget.windowMs;
  }

  record(key: string, budget: RateBudget, now: number): void {
    const times = this.prune(key, budget, now);
    times.push(now);
    this.sent.set(key, times);
  }

  private prune(key: string, budget: RateBudget, now: number): number[] {
    const times = this.sent.get(key) ?? [];
    let drop = 0;
    while (drop < times.length && times[drop]! <= now - budget.windowMs) drop++;
    if (drop > 0) times.splice(0, drop);
    if (times.length === 0) this.sent.delete(key);
    return times;
  }
}
