/**
 * Looking the room list up again after a login. On real puppets `Room.findAll()` is incomplete
 * for a while after login (wechaty #1648, #1689): a class room missing from it stays unbound and
 * gets no reminders. So the adapter asks the core to look again, soon and then ever less often.
 */

export const RESCAN_FIRST_MS = 30_000;
export const RESCAN_MAX_MS = 30 * 60_000;

/** Timers the adapter may set; tests pass their own to fire them without waiting. */
export interface Timers {
  /** Calls `fn` once after `ms`; returns the cancel. */
  set(fn: () => void, ms: number): () => void;
}

/** Unref'd: a pending look-up never keeps the process alive. */
export const realTimers: Timers = {
  set(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

/** After 30 s, then twice as long each time up to every 30 min, until stopped (a logout, the adapter's stop). */
export class Rescans {
  private cancel: (() => void) | undefined;

  constructor(
    private readonly timers: Timers,
    private readonly due: () => void,
  ) {}

  /** Starts over from the first delay (a new login). */
  start(): void {
    this.stop();
    this.after(RESCAN_FIRST_MS);
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  private after(ms: number): void {
    this.cancel = this.timers.set(() => {
      this.after(Math.min(ms * 2, RESCAN_MAX_MS));
      this.due();
    }, ms);
  }
}
