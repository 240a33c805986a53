import type { LocalDate, Period } from './period';

export interface ForecastInput {
  readonly period: Period;
  readonly timeZone: string;
  readonly nowMs: number;
  /** Consumed so far this period in the scope. */
  readonly consumed: number;
  /** Available in the scope (0 if none). */
  readonly available: number;
  /** Credits per local day of the period (missing days are 0). */
  readonly daily: ReadonlyMap<LocalDate, number>;
}

export interface Forecast {
  /** Average per day over the last 7 local days up to and including today (fewer if the period is younger), rounded up. */
  readonly burnRatePerDay: number;
  /** consumed + burn rate x days left in the period. */
  readonly projectedConsumed: number;
  /** Local day the credits run out at the burn rate; null if they last the period. */
  readonly projectedExhaustionDate: LocalDate | null;
  readonly runsOutBeforePeriodEnd: boolean;
  readonly periodEndsAtMs: number;
}

export declare function forecast(input: ForecastInput): Forecast;
