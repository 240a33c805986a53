import type { Result } from './result';
import type { DomainError } from './domain-error';
import type { Period } from './period';
import { ok, err } from './result';
import { domainError } from './domain-error';
import { periodEnd, periodOf } from './period';

/** Events more than this far in the future are refused (ours). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
/** A closed period still accepts late events for this long after it ends. */
export const LATE_EVENT_GRACE_MS = 72 * 60 * 60 * 1000;

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The period an event belongs to. More than 5 minutes in the future: INVALID_ARGUMENT on 'occurred_at'.
 * In a period that ended more than 72 hours before now: FAILED_PRECONDITION 'CONSUMPTION.PERIOD_CLOSED',
 * with the period and its end in the message. Both limits are inclusive (exactly 5 min / 72 h is accepted).
 */
export function periodForEvent(occurredAtMs: number, nowMs: number, timeZone: string): Result<Period, DomainError> {
  if (!Number.isFinite(occurredAtMs)) {
    return err(
      domainError('INVALID_ARGUMENT', 'CONSUMPTION.INVALID_TIME', `occurred_at is not a time: ${occurredAtMs}`, 'occurred_at'),
    );
  }
  const ahead = occurredAtMs - nowMs;
  if (ahead > MAX_FUTURE_SKEW_MS) {
    return err(
      domainError(
        'INVALID_ARGUMENT',
        'CONSUMPTION.IN_FUTURE',
        `occurred_at ${iso(occurredAtMs)} is ${Math.floor(ahead / 1000)} s in the future; ` +
          `at most ${MAX_FUTURE_SKEW_MS / 1000} s of clock skew is accepted`,
        'occurred_at',
      ),
    );
  }
  const period = periodOf(occurredAtMs, timeZone);
  const end = periodEnd(period, timeZone);
  if (nowMs - end > LATE_EVENT_GRACE_MS) {
    return err(
      domainError(
        'FAILED_PRECONDITION',
        'CONSUMPTION.PERIOD_CLOSED',
        `period ${period} (${timeZone}) ended at ${iso(end)}, ${Math.floor((nowMs - end) / 3_600_000)} h ago; ` +
          `late events are accepted for ${LATE_EVENT_GRACE_MS / 3_600_000} h after a period ends`,
        'occurred_at',
      ),
    );
  }
  return ok(period);
}
