import type { Result } from './result';
import type { DomainError } from './domain-error';

/** A calendar month in a tenant's IANA zone, 'YYYY-MM'. */
export type Period = string;
/** A local calendar day in a tenant's zone, 'YYYY-MM-DD'. */
export type LocalDate = string;

/** True for a well-formed 'YYYY-MM' (month 01..12). */
export declare function isPeriod(value: string): boolean;
/** Validates an IANA zone name ('UTC', 'Pacific/Auckland'); returns the canonical name. */
export declare function parseTimeZone(value: string, field: string): Result<string, DomainError>;
/** Validates 'YYYY-MM'. */
export declare function parsePeriod(value: string, field: string): Result<Period, DomainError>;
/** The period an instant falls in, in the zone. */
export declare function periodOf(instantMs: number, timeZone: string): Period;
/** First instant of the period in the zone (local midnight on the 1st), epoch ms. */
export declare function periodStart(period: Period, timeZone: string): number;
/** First instant after the period (local midnight on the 1st of the next month), epoch ms. */
export declare function periodEnd(period: Period, timeZone: string): number;
export declare function nextPeriod(period: Period): Period;
export declare function previousPeriod(period: Period): Period;
/** Compare two periods: negative, 0, positive. */
export declare function comparePeriods(a: Period, b: Period): number;
/** Local calendar day of an instant in the zone. */
export declare function localDateOf(instantMs: number, timeZone: string): LocalDate;
/** Days in a period (28..31). */
export declare function daysInPeriod(period: Period): number;
