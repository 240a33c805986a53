import type { Result } from './result';
import type { DomainError } from './domain-error';
import type { Period } from './period';

/** Events more than this far in the future are refused (ours). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
/** A closed period still accepts late events for this long after it ends. */
export const LATE_EVENT_GRACE_MS = 72 * 60 * 60 * 1000;

/**
 * The period an event belongs to. More than 5 minutes in the future: INVALID_ARGUMENT on 'occurred_at'.
 * In a period that ended more than 72 hours before now: FAILED_PRECONDITION 'CONSUMPTION.PERIOD_CLOSED',
 * with the period and its end in the message.
 */
export declare function periodForEvent(occurredAtMs: number, nowMs: number, timeZone: string): Result<Period, DomainError>;
