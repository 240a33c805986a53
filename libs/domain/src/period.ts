import type { Result } from './result';
import type { DomainError } from './domain-error';
import { ok, err } from './result';
import { domainError } from './domain-error';
import { canonicalTimeZone, startOfLocalDay, wallClockOf } from './zoned-clock';

/** A calendar month in a tenant's IANA zone, 'YYYY-MM'. */
export type Period = string;
/** A local calendar day in a tenant's zone, 'YYYY-MM-DD'. */
export type LocalDate = string;

const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** Periods a request may name (ours): from the Unix epoch to the last month whose end is before year 10000. */
export const MIN_PERIOD_YEAR = 1970;
export const MAX_PERIOD_YEAR = 9998;
const LOCAL_DATE_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DAY_MS = 86_400_000;

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad4 = (n: number): string => String(n).padStart(4, '0');
const formatPeriod = (year: number, month: number): Period => `${pad4(year)}-${pad2(month)}`;
const formatLocalDate = (year: number, month: number, day: number): LocalDate =>
  `${pad4(year)}-${pad2(month)}-${pad2(day)}`;

/** Year and month of a period; a malformed period is a programming error, not user input, so it throws. */
const splitPeriod = (period: Period): { year: number; month: number } => {
  const m = PERIOD_PATTERN.exec(period);
  if (m === null) throw new Error(`not a period (YYYY-MM): ${JSON.stringify(period)}`);
  return { year: Number(m[1]), month: Number(m[2]) };
};

const splitLocalDate = (date: LocalDate): { year: number; month: number; day: number } => {
  const m = LOCAL_DATE_PATTERN.exec(date);
  if (m === null) throw new Error(`not a local date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
};

/** True for a well-formed 'YYYY-MM' (month 01..12). */
export function isPeriod(value: string): boolean {
  return PERIOD_PATTERN.test(value);
}

/** Validates an IANA zone name ('UTC', 'Pacific/Auckland'); returns the canonical name. */
export function parseTimeZone(value: string, field: string): Result<string, DomainError> {
  const canonical = canonicalTimeZone(value);
  return canonical === null
    ? err(
        domainError(
          'INVALID_ARGUMENT',
          'REQUEST.INVALID_TIME_ZONE',
          `${field} must be an IANA time zone such as "UTC" or "Europe/Paris", got ${JSON.stringify(value)}`,
          field,
        ),
      )
    : ok(canonical);
}

/** Validates 'YYYY-MM'. */
export function parsePeriod(value: string, field: string): Result<Period, DomainError> {
  const invalid = (why: string): Result<Period, DomainError> =>
    err(domainError('INVALID_ARGUMENT', 'REQUEST.INVALID_PERIOD', `${field} ${why}`, field));
  if (!isPeriod(value)) return invalid(`must be a month as YYYY-MM (month 01..12), got ${JSON.stringify(value.slice(0, 24))}${value.length > 24 ? '...' : ''}`);
  // A period's end (the first instant of the next month) must be a time the system can hold.
  const year = Number(value.slice(0, 4));
  if (year < MIN_PERIOD_YEAR || year > MAX_PERIOD_YEAR) return invalid(`must lie in ${MIN_PERIOD_YEAR}-01..${MAX_PERIOD_YEAR}-12, got ${value}`);
  return ok(value);
}

/** The period an instant falls in, in the zone. */
export function periodOf(instantMs: number, timeZone: string): Period {
  const w = wallClockOf(instantMs, timeZone);
  return formatPeriod(w.year, w.month);
}

// A period's first instant costs several zone readings and is asked for every recorded event (its lateness is
// measured from the period's end), so starts are remembered: immutable facts of the zone database, not state.
const periodStarts = new Map<string, number>();
const PERIOD_STARTS_KEPT = 4_096;

/** First instant of the period in the zone (local midnight on the 1st), epoch ms. */
export function periodStart(period: Period, timeZone: string): number {
  const key = `${timeZone}|${period}`;
  const known = periodStarts.get(key);
  if (known !== undefined) return known;
  const { year, month } = splitPeriod(period);
  const start = startOfLocalDay(year, month, 1, timeZone);
  if (periodStarts.size >= PERIOD_STARTS_KEPT) periodStarts.clear();
  periodStarts.set(key, start);
  return start;
}

/** First instant after the period (local midnight on the 1st of the next month), epoch ms. */
export function periodEnd(period: Period, timeZone: string): number {
  return periodStart(nextPeriod(period), timeZone);
}

export function nextPeriod(period: Period): Period {
  const { year, month } = splitPeriod(period);
  return month === 12 ? formatPeriod(year + 1, 1) : formatPeriod(year, month + 1);
}

export function previousPeriod(period: Period): Period {
  const { year, month } = splitPeriod(period);
  return month === 1 ? formatPeriod(year - 1, 12) : formatPeriod(year, month - 1);
}

/** Compare two periods: negative, 0, positive. */
export function comparePeriods(a: Period, b: Period): number {
  // Zero-padded 'YYYY-MM' sorts lexically in calendar order.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Local calendar day of an instant in the zone. */
export function localDateOf(instantMs: number, timeZone: string): LocalDate {
  const w = wallClockOf(instantMs, timeZone);
  return formatLocalDate(w.year, w.month, w.day);
}

/** Days in a period (28..31). */
export function daysInPeriod(period: Period): number {
  const { year, month } = splitPeriod(period);
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The period a local day belongs to. */
export function periodOfLocalDate(date: LocalDate): Period {
  const { year, month } = splitLocalDate(date);
  return formatPeriod(year, month);
}

/** The local day n days after (or before, n < 0) date; calendar arithmetic, no zone involved. */
export function addDays(date: LocalDate, n: number): LocalDate {
  const { year, month, day } = splitLocalDate(date);
  const shifted = new Date(Date.UTC(year, month - 1, day) + n * DAY_MS);
  return formatLocalDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

/** Whole days from a to b (b - a), calendar arithmetic. */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  const x = splitLocalDate(a);
  const y = splitLocalDate(b);
  return Math.round((Date.UTC(y.year, y.month - 1, y.day) - Date.UTC(x.year, x.month - 1, x.day)) / DAY_MS);
}

/** First local day of a period ('YYYY-MM-01'). */
export function firstDayOf(period: Period): LocalDate {
  return `${period}-01`;
}

/** Last local day of a period. */
export function lastDayOf(period: Period): LocalDate {
  return `${period}-${pad2(daysInPeriod(period))}`;
}
