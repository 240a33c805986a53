import type { AccessDecision } from './access-decision';
import type { TenantPeriodState } from './tenant-period-state';
import type { Operation, Stage } from './stage';
import { decideDualAccess, sourceLimitRefusal } from './dual-access';
import { stageAllows, stageFor } from './stage';
import { nextPeriod } from './period';
import { formatCredits } from './format-credits';
import { percentOf } from './integer-math';

export type { AccessDecision } from './access-decision';

/** What a stage means for an operation, as the end of a sentence. */
const verdict = (stage: Stage, operation: Operation, allowed: boolean, resetsOn: string): string => {
  if (stage === 'BLOCKED') return `blocked until ${resetsOn}`;
  if (!allowed) return `over the limit: ${operation} is refused until credits are added or the month ends (${resetsOn})`;
  if (stage === 'OVERAGE') return `over the limit, in grace: ${operation} allowed, blocked at the block threshold`;
  if (stage === 'WARNING') return `near the limit: ${operation} allowed`;
  return `${operation} allowed`;
};

const usedSentence = (who: string, consumed: number, available: number): string =>
  `${who} used ${formatCredits(consumed)} of ${formatCredits(available)} credits (${percentOf(consumed, available)}%)`;

/**
 * May userId run operation in environmentId now? Environment with an allocation: its stage decides.
 * Without: the pool decides while it has credits; then the user's usable trial (allowed); then the pool's
 * stage; nothing at all: BLOCKED with NO_CAPACITY, or ENTITLEMENT_NOT_AVAILABLE when the tenant has neither
 * capacity nor any trial in its term (an EXHAUSTED trial still counts: its user is refused with NO_CAPACITY).
 * A user whose own trial expired is refused NO_CAPACITY too (docs/credit-rules.md, Trials: "when a trial's credits run out
 * or it expires, that user's runs drawing on it are refused (NO_CAPACITY)"), which also tells them an
 * extension is what unblocks them; colleagues without a trial still get ENTITLEMENT_NOT_AVAILABLE.
 */
export function decideAccess(
  state: TenantPeriodState,
  environmentId: string,
  userId: string,
  operation: Operation,
  nowMs: number,
  sourceId = '',
): AccessDecision {
  if (state.licensingModel === 'DUAL') return decideDualAccess(state, environmentId, userId, operation, nowMs, sourceId);
  const d = decideClassicAccess(state, environmentId, userId, operation, nowMs);
  // A source cap refuses only what the stage would allow (docs/licensing.md, Source limits).
  return d.allowed ? (sourceLimitRefusal(state, environmentId, sourceId, operation, d.stage, d.remaining) ?? d) : d;
}

function decideClassicAccess(
  state: TenantPeriodState,
  environmentId: string,
  userId: string,
  operation: Operation,
  nowMs: number,
): AccessDecision {
  const resetsOn = `${nextPeriod(state.period)}-01`;
  const thresholds = state.settings.thresholds;

  if (state.capacity === 0 && !state.hasTrialInTerm(nowMs) && state.trialOf(userId) === undefined) {
    return {
      allowed: false,
      stage: 'BLOCKED',
      reason: 'ENTITLEMENT_NOT_AVAILABLE',
      remaining: 0,
      message:
        `${operation} refused in ${environmentId}: the tenant has no credit entitlement in ${state.period} ` +
        `(capacity 0 credits) and no trial in its term`,
    };
  }

  if (state.hasAllocation(environmentId)) {
    const b = state.balanceOf(environmentId);
    const allowed = stageAllows(b.stage, operation);
    return {
      allowed,
      stage: b.stage,
      reason: allowed ? null : 'QUOTA_EXCEEDED',
      remaining: b.remaining,
      message: `${usedSentence(environmentId, b.consumed, b.available)}: ${verdict(b.stage, operation, allowed, resetsOn)}`,
    };
  }

  const pool = state.poolBalance();
  const trialCredits = state.usableTrialCredits(userId, nowMs);

  if (pool.remaining > 0) {
    const allowed = stageAllows(pool.stage, operation);
    return {
      allowed,
      stage: pool.stage,
      reason: allowed ? null : 'QUOTA_EXCEEDED',
      remaining: pool.remaining + trialCredits,
      message:
        `${usedSentence(`the unassigned pool (used by ${environmentId})`, pool.consumed, pool.available)}: ` +
        verdict(pool.stage, operation, allowed, resetsOn),
    };
  }

  const trial = state.trialOf(userId);
  if (trial !== undefined && trialCredits > 0) {
    // The trial carries the user on its own; its stage is its own ratio, so it never refuses while it has credits.
    const stage = stageFor(trial.consumed, trial.credits, thresholds);
    return {
      allowed: true,
      stage,
      reason: null,
      remaining: trialCredits,
      message: `${usedSentence(`the trial of ${userId}`, trial.consumed, trial.credits)}: ${operation} allowed`,
    };
  }

  if (pool.available === 0) {
    const why = state.settings.allowUnassigned
      ? 'the unassigned pool is 0 credits'
      : 'allow_unassigned is off for this tenant';
    return {
      allowed: false,
      stage: 'BLOCKED',
      reason: 'NO_CAPACITY',
      remaining: 0,
      message:
        `${operation} refused in ${environmentId}: no credits to draw from (no allocation, ${why}, ` +
        `and ${userId} has no usable trial)`,
    };
  }

  const allowed = stageAllows(pool.stage, operation);
  return {
    allowed,
    stage: pool.stage,
    reason: allowed ? null : 'QUOTA_EXCEEDED',
    remaining: 0,
    message:
      `${usedSentence(`the unassigned pool (used by ${environmentId})`, pool.consumed, pool.available)}: ` +
      verdict(pool.stage, operation, allowed, resetsOn),
  };
}
