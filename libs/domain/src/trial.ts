import type { Result } from './result';
import type { DomainError } from './domain-error';

export const TRIAL_CREDITS = 200_000;
export const TRIAL_DAYS = 30;
export const MAX_TRIAL_EXTENSIONS = 2;

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

/** Status at an instant (expiry and exhaustion derived, whatever was stored). */
export declare function trialStatusAt(trial: TrialState, nowMs: number): TrialStatus;
/** Credits left at an instant (0 unless ACTIVE). */
export declare function trialRemaining(trial: TrialState, nowMs: number): number;

/**
 * Start a trial: only when the tenant has no paid capacity in the current period
 * (FAILED_PRECONDITION 'TRIAL.PAID_CAPACITY'), allow_unassigned is true ('TRIAL.UNASSIGNED_DISALLOWED'),
 * and the user has no trial yet (ALREADY_EXISTS 'TRIAL.EXISTS'; an expired one is extended instead).
 */
export declare function startTrial(args: {
  userId: string;
  nowMs: number;
  hasPaidCapacity: boolean;
  allowUnassigned: boolean;
  existing: TrialState | undefined;
}): Result<TrialState, DomainError>;

/**
 * Extend an expired or exhausted trial: fresh 200,000 credits for 30 days from now, at most 2 times per user
 * (FAILED_PRECONDITION 'TRIAL.EXTENSIONS_EXHAUSTED'); an active trial cannot be extended ('TRIAL.STILL_ACTIVE').
 */
export declare function extendTrial(existing: TrialState | undefined, nowMs: number): Result<TrialState, DomainError>;

/** Reminders due at nowMs: '7d' when within 7 days of expiry, '1d' within 1 day (each raised once by the caller). */
export declare function trialRemindersDue(trial: TrialState, nowMs: number): ReadonlyArray<'7d' | '1d'>;
