/** Time source injected everywhere so tests, the console and the bench can move time at will. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to. */
export class FakeClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/**
 * Real time shifted by an offset the user moves forward (`/time` on the console), or frozen at a
 * start instant when one is given, so piped console sessions are reproducible.
 */
export class ShiftedClock implements Clock {
  private offset = 0;
  constructor(private readonly frozenAt?: number) {}
  now(): number {
    return (this.frozenAt ?? Date.now()) + this.offset;
  }
  advance(ms: number): void {
    this.offset += Math.max(0, ms);
  }
}
