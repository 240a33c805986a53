import {
  environmentStageOf,
  environmentStatusOf,
  periodEnd,
  stageFor,
  trialRemaining,
  trialStatusAt,
  type Stage,
  type TenantPeriodState,
} from '@allot/domain';
import type { GetBalanceRequest, GetBalanceResponse, ListEnvironmentBalancesResponse } from '@allot/contracts';
import type { CoreServices } from '../core-services';
import { environmentNotFound } from '../shared/core-error';
import { optionalPeriod, requireId } from '../shared/validate';
import { drawsToWire, reasonToWire, stageToWire, trialToWire } from '../shared/wire';
import { readTenantState } from '../tenants/tenant-view';
import { environmentCopilotToWire, tenantCopilotToWire } from './copilot-balance';
import type { TenantConfig } from '../tenants/tenant-types';

const SEVERITY: Readonly<Record<Stage, number>> = { NORMAL: 0, WARNING: 1, OVERAGE: 2, BLOCKED: 3 };

function bySource(state: TenantPeriodState, envs: readonly string[]): GetBalanceResponse['consumedBySource'] {
  const sums = { ALLOCATION: 0, UNASSIGNED: 0, TRIAL: 0, OVERAGE: 0 };
  for (const env of envs) {
    const u = state.usageOf(env);
    sums.ALLOCATION += u.allocation;
    sums.UNASSIGNED += u.unassigned;
    sums.TRIAL += u.trial;
    sums.OVERAGE += u.overage;
  }
  return drawsToWire(
    (Object.entries(sums) as Array<[keyof typeof sums, number]>).map(([source, credits]) => ({ source, credits })),
  );
}

const totalOf = (state: TenantPeriodState, env: string): number => {
  const u = state.usageOf(env);
  return u.allocation + u.unassigned + u.trial + u.overage;
};

/** Environments known to the period: configured ones and any with usage (an environment is never deleted). */
const envIdsOf = (config: TenantConfig): string[] => [...config.envs.keys()].sort();

/**
 * Balance of the whole tenant, one environment (its scope: allocation or shared pool; consumed and overage are
 * the environment's own), or a user's trial. Answered from memory.
 */
export async function getBalance(s: CoreServices, req: GetBalanceRequest): Promise<GetBalanceResponse> {
  const tenantId = requireId(req.tenantId, 'tenant_id');
  const environmentId = req.environmentId === '' ? null : requireId(req.environmentId, 'environment_id');
  const userId = req.userId === '' ? null : requireId(req.userId, 'user_id');
  const period = optionalPeriod(req.period, 'period');
  return readTenantState(s, tenantId, period, (config, state, now) => {
    const capacity = state.capacity;
    const allocated = [...state.allocations().values()].reduce((a, b) => a + b, 0);
    const periodEndsAt = new Date(periodEnd(state.period, config.tenant.timeZone));
    const trialState = userId === null ? undefined : config.trials.get(userId);
    const trial = trialState === undefined ? undefined : trialToWire(tenantId, trialState, now);
    const base = {
      period: state.period,
      capacity,
      allocated,
      unassigned: state.unassignedPool(),
      periodEndsAt,
      trial,
      overAllocated: allocated > capacity,
    };
    if (environmentId !== null) {
      const env = config.envs.get(environmentId);
      if (env === undefined) throw environmentNotFound(tenantId, environmentId);
      const b = state.balanceOf(environmentId);
      const u = state.usageOf(environmentId);
      // Under DUAL both currencies together (docs/licensing.md), as CheckAccess shows them.
      const status = environmentStatusOf(state, environmentId, userId ?? '', now);
      return {
        ...base,
        available: b.available,
        // Open reservations count as consumed (docs/licensing.md, Reservations).
        consumed: totalOf(state, environmentId) + state.heldCredits(environmentId),
        remaining: b.remaining,
        overage: u.overage,
        stage: stageToWire(status.stage),
        consumedBySource: bySource(state, [environmentId]),
        reason: reasonToWire(status.reason),
        environmentDisplayName: env.displayName,
        sharesPool: !state.hasAllocation(environmentId),
        copilot: environmentCopilotToWire(state, environmentId),
      };
    }
    if (trialState !== undefined) {
      const status = trialStatusAt(trialState, now);
      return {
        ...base,
        available: trialState.credits,
        consumed: trialState.consumed,
        remaining: trialRemaining(trialState, now),
        overage: 0,
        stage: stageToWire(status === 'ACTIVE' ? stageFor(trialState.consumed, trialState.credits, config.tenant.thresholds) : 'BLOCKED'),
        consumedBySource: [],
        reason: reasonToWire(status === 'ACTIVE' ? null : 'NO_CAPACITY'),
        environmentDisplayName: '',
        sharesPool: false,
        copilot: undefined,
      };
    }
    const envs = envIdsOf(config);
    let consumed = 0;
    let overage = 0;
    let paidDrawn = 0;
    let worst: Stage = 'NORMAL';
    for (const env of envs) {
      const u = state.usageOf(env);
      consumed += totalOf(state, env);
      overage += u.overage;
      paidDrawn += u.allocation + u.unassigned;
      const stage = environmentStageOf(state, env, '', now);
      if ((state.hasAllocation(env) || u.events > 0) && SEVERITY[stage] > SEVERITY[worst]) worst = stage;
    }
    return {
      ...base,
      available: capacity,
      consumed,
      remaining: Math.max(0, capacity - paidDrawn),
      overage,
      stage: stageToWire(capacity === 0 && consumed === 0 ? stageFor(0, capacity, config.tenant.thresholds) : worst),
      consumedBySource: bySource(state, envs),
      reason: reasonToWire(null),
      environmentDisplayName: '',
      sharesPool: false,
      copilot: tenantCopilotToWire(state, envs),
    };
  });
}

export async function listEnvironmentBalances(s: CoreServices, tenantIdRaw: string, periodRaw: string): Promise<ListEnvironmentBalancesResponse> {
  const tenantId = requireId(tenantIdRaw, 'tenant_id');
  const period = optionalPeriod(periodRaw, 'period');
  return readTenantState(s, tenantId, period, (config, state, now) => {
    const pool = state.poolBalance();
    return {
      period: state.period,
      environments: envIdsOf(config).map((id) => {
        const b = state.balanceOf(id);
        const u = state.usageOf(id);
        const status = environmentStatusOf(state, id, '', now);
        return {
          environmentId: id,
          displayName: config.envs.get(id)?.displayName ?? id,
          allocation: state.allocations().get(id) ?? 0,
          available: b.available,
          consumed: totalOf(state, id),
          remaining: b.remaining,
          overage: u.overage,
          stage: stageToWire(status.stage),
          sharesPool: !state.hasAllocation(id),
          reason: reasonToWire(status.reason),
          copilot: environmentCopilotToWire(state, id),
        };
      }),
      poolAvailable: pool.available,
      poolConsumed: pool.consumed,
      poolStage: stageToWire(pool.stage),
      periodEndsAt: new Date(periodEnd(state.period, config.tenant.timeZone)),
    };
  });
}
