import type { Timers } from '../../adapters/wechaty/rescans.js';

/** Timers that fire only when the test says, oldest first: no test waits for real time. */
export class ManualTimers implements Timers {
  readonly pending: { fn: () => void; ms: number }[] = [];

  set(fn: () => void, ms: number): () => void {
    const timer = { fn, ms };
    this.pending.push(timer);
    return () => {
      const i = this.pending.indexOf(timer);
      if (i >= 0) this.pending.splice(i, 1);
    };
  }

  /** Fires the oldest pending timer; returns the delay it was set with. */
  fire(): number {
    const timer = this.pending.shift();
    if (!timer) throw new Error('no timer pending');
    timer.fn();
    return timer.ms;
  }
}
