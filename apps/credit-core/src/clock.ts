/**
 * The core's one source of "now". Every rule that needs the time asks this clock, so SetTestClock
 * (tests and demos only) moves the whole core at once; it keeps ticking from the instant it was set to.
 */
export class Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** How far the clock is from real time (0 unless a test moved it). */
  offset(): number {
    return this.offsetMs;
  }

  /** Restores a stored offset (a restarted test core keeps the time its test set). */
  restore(offsetMs: number): void {
    this.offsetMs = offsetMs;
  }

  /** Moves the clock so that now() reads instantMs at this moment; null goes back to real time. */
  set(instantMs: number | null): number {
    this.offsetMs = instantMs === null ? 0 : instantMs - Date.now();
    return this.now();
  }
}
