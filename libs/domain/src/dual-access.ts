import type { AccessDecision } from './access-decision';
import type { TenantPeriodState } from './tenant-period-state';
import type { DenialReason, Operation, Stage } from './stage';
import { formatCopilotCredits } from './copilot-amount';
import { formatCredits } from './format-credits';
import { nextPeriod } from './period';
import { sourceLimitStatus } from './source-limit';

/** AI Builder credits an environment (and user) can still draw without overage. */
export function aiBuilderLeft(state: TenantPeriodState, environmentId: string, userId: string, nowMs: number): number {
  return state.aiBuilderSources(environmentId, userId, nowMs).reduce((sum, [, left]) => sum + Math.max(0, left), 0);
}

const nearEnd = (consumed: number, available: number | null, remaining: number | null, warningPercent: number): boolean => {
  if (remaining === null || available === null) return false;
  if (remaining <= 0 || available <= 0) return true;
  return BigInt(consumed) * 100n >= BigInt(warningPercent) * BigInt(available);
};

/**
 * Stage of an environment under DUAL (docs/licensing.md, Enforcement). There is no grace stage: NORMAL, WARNING,
 * BLOCKED only. Interpretations (ours):
 * - BLOCKED when nothing is left to draw in either currency (AI Builder sources and Copilot sources both 0).
 * - WARNING when every currency is near its end: used up, or at the warning threshold of what the environment can
 *   draw in it (consumed / (consumed + still drawable)). Copilot pay-as-you-go without a budget is never near its end.
 */
export function dualStageOf(state: TenantPeriodState, environmentId: string, userId: string, nowMs: number): Stage {
  const warning = state.settings.thresholds.warningPercent;
  const abLeft = aiBuilderLeft(state, environmentId, userId, nowMs);
  const ab = state.balanceOf(environmentId);
  const cp = state.copilotBalanceOf(environmentId);
  if (abLeft <= 0 && cp.remaining !== null && cp.remaining <= 0) return 'BLOCKED';
  const abNear = abLeft <= 0 || nearEnd(ab.consumed, ab.available, abLeft, warning);
  const cpNear = nearEnd(cp.consumed, cp.available, cp.remaining, warning);
  return abNear && cpNear ? 'WARNING' : 'NORMAL';
}

/** DUAL: the tenant has nothing at all to draw from in this period (no capacity, pack, pay-as-you-go or trial). */
function noSourceAtAll(state: TenantPeriodState, userId: string, nowMs: number): boolean {
  const c = state.copilot;
  return state.capacity === 0 && c.capacity === 0 && !c.paygActive && !state.hasTrialInTerm(nowMs) && state.trialOf(userId) === undefined;
}

/**
 * The stage an environment shows everywhere (CheckAccess, balances, stage alerts): under CLASSIC its scope's
 * stage, under DUAL the stage of both currencies together (dualStageOf), BLOCKED when the tenant has no source.
 */
export function environmentStageOf(state: TenantPeriodState, environmentId: string, userId: string, nowMs: number): Stage {
  if (state.licensingModel !== 'DUAL') return state.balanceOf(environmentId).stage;
  return noSourceAtAll(state, userId, nowMs) ? 'BLOCKED' : dualStageOf(state, environmentId, userId, nowMs);
}

/**
 * Stage and reason an environment shows in balances: under DUAL those of a RUN's access decision (both
 * currencies, no grace), so GetBalance and CheckAccess never disagree; under CLASSIC its scope's balance.
 */
export function environmentStatusOf(state: TenantPeriodState, environmentId: string, userId: string, nowMs: number): { stage: Stage; reason: DenialReason | null } {
  if (state.licensingModel !== 'DUAL') {
    const b = state.balanceOf(environmentId);
    // A blocked scope that had credits used them up: the reason CheckAccess gives a RUN there.
    return { stage: b.stage, reason: b.stage === 'BLOCKED' ? (b.reason ?? 'QUOTA_EXCEEDED') : b.reason };
  }
  const d = decideDualAccess(state, environmentId, userId, 'RUN', nowMs);
  return { stage: d.stage, reason: d.allowed ? null : d.reason };
}

/**
 * A RUN of a source past its cap (docs/licensing.md, Source limits) is refused with SOURCE_LIMIT_EXCEEDED; other
 * operations are free and go on (ours: the cap is about cost). null when the cap does not refuse.
 */
export function sourceLimitRefusal(
  state: TenantPeriodState,
  environmentId: string,
  sourceId: string,
  operation: Operation,
  stage: Stage,
  remaining: number,
): AccessDecision | null {
  if (operation !== 'RUN' || sourceId === '') return null;
  const limit = state.sourceLimitOf(environmentId, sourceId);
  if (limit === undefined) return null;
  const consumed = state.sourceConsumed(environmentId, sourceId, limit.currency);
  if (sourceLimitStatus(limit, consumed, state.settings.thresholds.warningPercent) !== 'EXCEEDED') return null;
  const used = limit.currency === 'COPILOT' ? `${formatCopilotCredits(consumed)} of ${formatCredits(limit.credits)} Copilot Credits` : `${formatCredits(consumed)} of ${formatCredits(limit.credits)} credits`;
  return {
    allowed: false,
    stage,
    reason: 'SOURCE_LIMIT_EXCEEDED',
    remaining,
    message: `${operation} of ${sourceId} refused in ${environmentId}: it used ${used} of its cap this period (until ${nextPeriod(state.period)}-01); the rest of the environment goes on`,
  };
}

/**
 * May userId run operation in environmentId now, under DUAL (docs/licensing.md)? MAKER, TEST and TRAIN are free
 * and never refused. A RUN is refused (BLOCKED) when no source of either currency has anything left:
 * ENTITLEMENT_NOT_AVAILABLE when the tenant has no source at all (no AI Builder capacity, no pack, no
 * pay-as-you-go, no trial in its term), NO_CAPACITY when this environment had nothing to draw from this period,
 * QUOTA_EXCEEDED when it used up what it had; then a source cap may refuse it (SOURCE_LIMIT_EXCEEDED).
 */
export function decideDualAccess(
  state: TenantPeriodState,
  environmentId: string,
  userId: string,
  operation: Operation,
  nowMs: number,
  sourceId = '',
): AccessDecision {
  const resetsOn = `${nextPeriod(state.period)}-01`;
  const abLeft = aiBuilderLeft(state, environmentId, userId, nowMs);
  const cp = state.copilotBalanceOf(environmentId);
  const nothing = noSourceAtAll(state, userId, nowMs);
  const stage = environmentStageOf(state, environmentId, userId, nowMs);
  const copilotText = cp.remaining === null ? 'unlimited Copilot Credits (pay-as-you-go)' : `${formatCopilotCredits(cp.remaining)} Copilot Credits`;
  const left = `${formatCredits(abLeft)} AI Builder credits and ${copilotText} left`;
  const base = { stage, remaining: abLeft, copilotRemaining: cp.remaining };
  if (operation !== 'RUN') {
    return { ...base, allowed: true, reason: null, message: `${operation} is free and never refused (${left} in ${environmentId})` };
  }
  if (nothing) {
    return {
      ...base,
      allowed: false,
      reason: 'ENTITLEMENT_NOT_AVAILABLE',
      message: `RUN refused in ${environmentId}: the tenant has no AI Builder capacity, no Copilot Credit pack and no pay-as-you-go in ${state.period}`,
    };
  }
  if (stage === 'BLOCKED') {
    const ab = state.balanceOf(environmentId);
    const hadNothing = ab.available <= 0 && (cp.available === null || cp.available <= 0);
    return {
      ...base,
      allowed: false,
      reason: hadNothing ? 'NO_CAPACITY' : 'QUOTA_EXCEEDED',
      message: hadNothing
        ? `RUN refused in ${environmentId}: no AI Builder credits and no Copilot Credits to draw from`
        : `RUN refused in ${environmentId}: AI Builder credits and Copilot Credits are used up, blocked until ${resetsOn} or until credits are added`,
    };
  }
  return (
    sourceLimitRefusal(state, environmentId, sourceId, operation, stage, abLeft) ?? {
      ...base,
      allowed: true,
      reason: null,
      message: `RUN allowed in ${environmentId}${stage === 'WARNING' ? ', near the limit' : ''}: ${left}`,
    }
  );
}
