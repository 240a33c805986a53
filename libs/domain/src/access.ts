import type { TenantPeriodState } from './tenant-period-state';
import type { Operation, Stage, DenialReason } from './stage';

export interface AccessDecision {
  readonly allowed: boolean;
  readonly stage: Stage;
  readonly reason: DenialReason | null;
  /** Credits left to draw without overage for this user in this environment. */
  readonly remaining: number;
  /** For people, with numbers: "prod used 1,300,000 of 1,000,000 credits (130%): blocked until 2026-12-01". */
  readonly message: string;
}

/**
 * May userId run operation in environmentId now? Environment with an allocation: its stage decides.
 * Without: the pool decides while it has credits; then the user's usable trial (allowed); then the pool's
 * stage; nothing at all: BLOCKED with NO_CAPACITY, or ENTITLEMENT_NOT_AVAILABLE when the tenant has neither
 * capacity nor any active trial.
 */
export declare function decideAccess(
  state: TenantPeriodState,
  environmentId: string,
  userId: string,
  operation: Operation,
  nowMs: number,
): AccessDecision;
