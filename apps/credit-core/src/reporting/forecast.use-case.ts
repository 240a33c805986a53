import { forecast, periodEnd } from '@allot/domain';
import type { GetForecastResponse } from '@allot/contracts';
import type { CoreServices } from '../core-services';
import { environmentNotFound } from '../shared/core-error';
import { requireId } from '../shared/validate';
import { readTenantState } from '../tenants/tenant-view';
import { groupRollups } from './usage-rollups.service';
import { copilotForecastToWire, copilotScopeOf } from './copilot-forecast';

/** 7-day burn rate projected to the period end (domain forecast over the daily series of the scope). */
export async function getForecast(s: CoreServices, tenantIdRaw: string, environmentIdRaw: string, nowOverride?: number): Promise<GetForecastResponse> {
  const tenantId = requireId(tenantIdRaw, 'tenant_id');
  const environmentId = environmentIdRaw === '' ? null : requireId(environmentIdRaw, 'environment_id');
  // An override (the scheduler's "now") decides the period as well as the burn window: consumed, available and
  // the daily series must be those of the period that instant falls in, not of the core clock's period.
  const period =
    nowOverride === undefined ? null : await s.tenants.get(tenantId).exclusive(async (ctx) => ctx.currentPeriod(nowOverride));
  const scope = await readTenantState(s, tenantId, period, (config, state, coreNowMs, rollups) => {
    const nowMs = nowOverride ?? coreNowMs;
    if (environmentId === null) {
      let consumed = 0;
      for (const env of config.envs.keys()) {
        const u = state.usageOf(env);
        consumed += u.allocation + u.unassigned + u.overage;
      }
      const days = groupRollups(rollups, 'localDate');
      return { config, period: state.period, nowMs, consumed, available: state.capacity, days, copilot: copilotScopeOf(state, null, days, [...config.envs.keys()]) };
    }
    if (!config.envs.has(environmentId)) throw environmentNotFound(tenantId, environmentId);
    const b = state.balanceOf(environmentId);
    const allocations = state.allocations();
    // A pool environment is judged with the pool: the series is every environment without an allocation.
    const include = state.hasAllocation(environmentId) ? (env: string) => env === environmentId : (env: string) => !allocations.has(env);
    // One pass can be read only once (a live iterator): both series come from one array.
    const list = [...rollups];
    const days = groupRollups(list, 'localDate', include);
    // The Copilot side is the environment's own (its Copilot sources are per environment).
    const copilotDays = groupRollups(list, 'localDate', (env) => env === environmentId);
    return { config, period: state.period, nowMs, consumed: b.consumed, available: b.available, days, copilot: copilotScopeOf(state, environmentId, copilotDays) };
  });
  const days = scope.days;
  const f = forecast({
    period: scope.period,
    timeZone: scope.config.tenant.timeZone,
    nowMs: scope.nowMs,
    consumed: scope.consumed,
    available: scope.available,
    daily: new Map(days.map((d) => [d.key, d.credits - d.trialCredits])),
  });
  return {
    period: scope.period,
    consumed: scope.consumed,
    available: scope.available,
    burnRatePerDay: f.burnRatePerDay,
    projectedConsumed: f.projectedConsumed,
    projectedExhaustionDate: f.projectedExhaustionDate ?? '',
    runsOutBeforePeriodEnd: f.runsOutBeforePeriodEnd,
    periodEndsAt: new Date(periodEnd(scope.period, scope.config.tenant.timeZone)),
    copilot: copilotForecastToWire(scope.copilot, scope.period, scope.config.tenant.timeZone, scope.nowMs),
  };
}
