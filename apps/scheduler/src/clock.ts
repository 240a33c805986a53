/** Where the scheduler reads "now" from. Jobs pass it to the core, so tests choose any date. */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that shows a chosen instant until moved (tests, demos). */
export interface SettableClock extends Clock {
  set(instant: Date | string | number): void;
  /** Moves the clock forward by ms. */
  advance(ms: number): void;
}

export function createSettableClock(start: Date | string | number): SettableClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (instant) => {
      current = new Date(instant).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
