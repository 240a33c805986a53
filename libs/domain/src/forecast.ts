import type { LocalDate, Period } from './period';
import { ceilDiv } from './integer-math';
import { addDays, comparePeriods, daysBetween, firstDayOf, lastDayOf, localDateOf, periodEnd, periodOf } from './period';

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

const WINDOW_DAYS = 7;

/**
 * Interpretations (ours):
 * - "Days left" are the whole local days after today; today's usage so far is already in `consumed`.
 * - The credits run out on the first day k (today = 0) where consumed + burn x k >= available. Already
 *   consumed >= available (with something consumed) means today, whatever the burn rate.
 * - A period that is over is forecast as of its last day (0 days left); one that has not begun, with no burn.
 */
export function forecast(input: ForecastInput): Forecast {
  const { period, timeZone, nowMs, consumed, available, daily } = input;
  const periodEndsAtMs = periodEnd(period, timeZone);
  const first = firstDayOf(period);
  const last = lastDayOf(period);
  const nowPeriod = periodOf(nowMs, timeZone);

  if (comparePeriods(nowPeriod, period) < 0) {
    const exhausted = consumed > 0 && consumed >= available;
    return {
      burnRatePerDay: 0,
      projectedConsumed: consumed,
      projectedExhaustionDate: exhausted ? first : null,
      runsOutBeforePeriodEnd: exhausted,
      periodEndsAtMs,
    };
  }

  const today = comparePeriods(nowPeriod, period) > 0 ? last : localDateOf(nowMs, timeZone);
  const windowDays = Math.min(WINDOW_DAYS, daysBetween(first, today) + 1);
  let windowTotal = 0;
  for (let i = 0; i < windowDays; i += 1) windowTotal += daily.get(addDays(today, -i)) ?? 0;
  const burnRatePerDay = ceilDiv(windowTotal, windowDays);
  const daysLeft = daysBetween(today, last);
  const projectedConsumed = consumed + burnRatePerDay * daysLeft;

  let projectedExhaustionDate: LocalDate | null = null;
  if (consumed > 0 && consumed >= available) {
    projectedExhaustionDate = today;
  } else if (burnRatePerDay > 0 && available > 0) {
    const daysUntil = ceilDiv(available - consumed, burnRatePerDay);
    if (daysUntil <= daysLeft) projectedExhaustionDate = addDays(today, daysUntil);
  }
  return {
    burnRatePerDay,
    projectedConsumed,
    projectedExhaustionDate,
    runsOutBeforePeriodEnd: projectedExhaustionDate !== null,
    periodEndsAtMs,
  };
}
