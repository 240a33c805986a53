import type { Result } from './result';
import type { DomainError } from './domain-error';
import { ok, err } from './result';
import { domainError } from './domain-error';
import type { LicensingModel } from './licensing';

export const TRIAL_CREDITS = 200_000;
export const TRIAL_DAYS = 30;
export const MAX_TRIAL_EXTENSIONS = 2;

const DAY_MS = 86_400_000;
const TRIAL_MS = TRIAL_DAYS * DAY_MS;

export type TrialStatus = 'ACTIVE' | 'EXPIRED' | 'EXHAUSTED';

/** A user's trial (tenant level, not per period). consumed is mutated by the period state when drawn. */
export interface TrialState {
  readonly userId: string;
  credits: number;
  consumed: number;
  startedAtMs: number;
  expiresAtMs: number;
  extensions: number;
  /** Stored status; EXPIRED is also implied by nowMs >= expiresAtMs, EXHAUSTED by consumed >= credits. */
  status: TrialStatus;
}

/**
 * Status at an instant (expiry and exhaustion derived, whatever was stored). Expiry wins over exhaustion:
 * once the time is up, the credits no longer matter.
 */
export function trialStatusAt(trial: TrialState, nowMs: number): TrialStatus {
  if (nowMs >= trial.expiresAtMs) return 'EXPIRED';
  if (trial.consumed >= trial.credits) return 'EXHAUSTED';
  return 'ACTIVE';
}

/** Credits left at an instant (0 unless ACTIVE). */
export function trialRemaining(trial: TrialState, nowMs: number): number {
  return trialStatusAt(trial, nowMs) === 'ACTIVE' ? trial.credits - trial.consumed : 0;
}

const freshTerm = (userId: string, nowMs: number, extensions: number): TrialState => ({
  userId,
  credits: TRIAL_CREDITS,
  consumed: 0,
  startedAtMs: nowMs,
  expiresAtMs: nowMs + TRIAL_MS,
  extensions,
  status: 'ACTIVE',
});

/**
 * Start a trial: only when the tenant has no paid capacity in the current period
 * (FAILED_PRECONDITION 'TRIAL.PAID_CAPACITY'), allow_unassigned is true ('TRIAL.UNASSIGNED_DISALLOWED'),
 * and the user has no trial yet (ALREADY_EXISTS 'TRIAL.EXISTS'; an expired one is extended instead).
 * "Extended instead" is done here: an expired or exhausted existing trial goes through extendTrial, so the
 * result carries its errors (e.g. 'TRIAL.EXTENSIONS_EXHAUSTED'); only an ACTIVE one is 'TRIAL.EXISTS'.
 */
export function startTrial(args: {
  userId: string;
  nowMs: number;
  hasPaidCapacity: boolean;
  allowUnassigned: boolean;
  existing: TrialState | undefined;
  /** Default CLASSIC. Under DUAL no trial can be started or extended (docs/licensing.md, Trials). */
  licensingModel?: LicensingModel;
}): Result<TrialState, DomainError> {
  if (args.licensingModel === 'DUAL') return err(trialsEnded());
  if (args.hasPaidCapacity) {
    return err(
      domainError(
        'FAILED_PRECONDITION',
        'TRIAL.PAID_CAPACITY',
        'trials are offered only to tenants without paid capacity; this tenant has capacity this period',
      ),
    );
  }
  if (!args.allowUnassigned) {
    return err(
      domainError(
        'FAILED_PRECONDITION',
        'TRIAL.UNASSIGNED_DISALLOWED',
        'trials draw like unassigned credits and allow_unassigned is false for this tenant',
        'allow_unassigned',
      ),
    );
  }
  if (args.existing !== undefined) {
    if (trialStatusAt(args.existing, args.nowMs) === 'ACTIVE') {
      return err(
        domainError(
          'ALREADY_EXISTS',
          'TRIAL.EXISTS',
          `user ${args.userId} already has an active trial with ` +
            `${args.existing.credits - args.existing.consumed} of ${args.existing.credits} credits left`,
          'user_id',
        ),
      );
    }
    return extendTrial(args.existing, args.nowMs);
  }
  return ok(freshTerm(args.userId, args.nowMs, 0));
}

/**
 * Extend an expired or exhausted trial: fresh 200,000 credits for 30 days from now, at most 2 times per user
 * (FAILED_PRECONDITION 'TRIAL.EXTENSIONS_EXHAUSTED'); an active trial cannot be extended ('TRIAL.STILL_ACTIVE').
 * Returns a new state; the one passed in is left untouched. No trial at all: NOT_FOUND 'TRIAL.NOT_FOUND'.
 */
export function extendTrial(
  existing: TrialState | undefined,
  nowMs: number,
  licensingModel: LicensingModel = 'CLASSIC',
): Result<TrialState, DomainError> {
  if (licensingModel === 'DUAL') return err(trialsEnded());
  if (existing === undefined) {
    return err(domainError('NOT_FOUND', 'TRIAL.NOT_FOUND', 'this user has no trial to extend', 'user_id'));
  }
  if (trialStatusAt(existing, nowMs) === 'ACTIVE') {
    const daysLeft = Math.ceil((existing.expiresAtMs - nowMs) / DAY_MS);
    return err(
      domainError(
        'FAILED_PRECONDITION',
        'TRIAL.STILL_ACTIVE',
        `the trial of ${existing.userId} is still active (${existing.credits - existing.consumed} credits, ` +
          `${daysLeft} days left); only an expired or exhausted trial can be extended`,
        'user_id',
      ),
    );
  }
  if (existing.extensions >= MAX_TRIAL_EXTENSIONS) {
    return err(
      domainError(
        'FAILED_PRECONDITION',
        'TRIAL.EXTENSIONS_EXHAUSTED',
        `the trial of ${existing.userId} was already extended ${existing.extensions} times; ` +
          `at most ${MAX_TRIAL_EXTENSIONS} extensions are allowed`,
        'user_id',
      ),
    );
  }
  return ok(freshTerm(existing.userId, nowMs, existing.extensions + 1));
}

const trialsEnded = (): DomainError =>
  domainError(
    'FAILED_PRECONDITION',
    'TRIAL.NOT_UNDER_DUAL',
    'trials can no longer be started or extended: this tenant follows the Copilot Credits rules (licensing_model DUAL); running trials last to their end',
    'user_id',
  );

/**
 * Reminders due at nowMs: '7d' when within 7 days of expiry, '1d' within 1 day (each raised once by the caller).
 * Only an ACTIVE trial gets reminders: an exhausted one already raised its own alert.
 */
export function trialRemindersDue(trial: TrialState, nowMs: number): ReadonlyArray<'7d' | '1d'> {
  if (trialStatusAt(trial, nowMs) !== 'ACTIVE') return [];
  const left = trial.expiresAtMs - nowMs;
  const due: Array<'7d' | '1d'> = [];
  if (left <= 7 * DAY_MS) due.push('7d');
  if (left <= DAY_MS) due.push('1d');
  return due;
}
