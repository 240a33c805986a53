import { forecast, periodEnd } from '@allot/domain';
import {
  UsageGroupBy,
  type GetForecastResponse,
  type GetUsageReportRequest,
  type GetUsageReportResponse,
} from '@allot/contracts';
import type { CoreServices } from '../core-services';
import { environmentNotFound } from '../shared/core-error';
import { invalid, optionalPeriod, requireId } from '../shared/validate';
import { readTenantState } from '../tenants/tenant-view';
import { byDayUserEnvironment, groupRollups, type UsageDimension } from './usage-rollups.service';
import { csvCell } from './csv-cell';

const DIMENSION: Partial<Record<UsageGroupBy, UsageDimension>> = {
  [UsageGroupBy.USAGE_GROUP_BY_ENVIRONMENT]: 'environmentId',
  [UsageGroupBy.USAGE_GROUP_BY_USER]: 'userId',
  [UsageGroupBy.USAGE_GROUP_BY_CAPABILITY]: 'capability',
  [UsageGroupBy.USAGE_GROUP_BY_DAY]: 'localDate',
};

/** Consumption of a period grouped by environment, user, capability or day; from the period's rollups. */
export async function getUsageReport(s: CoreServices, req: GetUsageReportRequest): Promise<GetUsageReportResponse> {
  const tenantId = requireId(req.tenantId, 'tenant_id');
  const requested = optionalPeriod(req.period, 'period');
  const dimension = DIMENSION[req.groupBy];
  if (dimension === undefined) {
    throw invalid('REQUEST.INVALID_ENUM', `group_by must be one of USAGE_GROUP_BY_ENVIRONMENT, _USER, _CAPABILITY, _DAY, got ${req.groupBy}`, 'group_by');
  }
  const environmentId = req.environmentId === '' ? undefined : requireId(req.environmentId, 'environment_id');
  if (req.limit < 0) throw invalid('REQUEST.INVALID_LIMIT', `limit must be >= 0, got ${req.limit}`, 'limit');
  const { config, period, rows } = await readTenantState(s, tenantId, requested, (config, state, _nowMs, rollups) => ({
    config,
    period: state.period,
    rows: groupRollups(rollups, dimension, (env) => environmentId === undefined || env === environmentId),
  }));
  if (dimension === 'localDate') rows.sort((a, b) => a.key.localeCompare(b.key));
  else rows.sort((a, b) => b.credits - a.credits || a.key.localeCompare(b.key));
  const limited = req.limit > 0 ? rows.slice(0, req.limit) : rows;
  return {
    period,
    groupBy: req.groupBy,
    rows: limited.map((r) => ({
      key: r.key,
      label:
        dimension === 'environmentId'
          ? (config.envs.get(r.key)?.displayName ?? r.key)
          : dimension === 'capability' && r.key === ''
            ? 'credits (no capability)'
            : r.key,
      credits: r.credits,
      events: r.events,
      trialCredits: r.trialCredits,
      overageCredits: r.overageCredits,
    })),
    totalCredits: rows.reduce((a, r) => a + r.credits, 0),
    totalEvents: rows.reduce((a, r) => a + r.events, 0),
  };
}

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
      return { config, period: state.period, nowMs, consumed, available: state.capacity, days: groupRollups(rollups, 'localDate') };
    }
    if (!config.envs.has(environmentId)) throw environmentNotFound(tenantId, environmentId);
    const b = state.balanceOf(environmentId);
    const allocations = state.allocations();
    // A pool environment is judged with the pool: the series is every environment without an allocation.
    const include = state.hasAllocation(environmentId) ? (env: string) => env === environmentId : (env: string) => !allocations.has(env);
    return { config, period: state.period, nowMs, consumed: b.consumed, available: b.available, days: groupRollups(rollups, 'localDate', include) };
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
  };
}

export const CSV_HEADER = 'Date,UserId,EnvironmentId,EnvironmentName,AIConsumption,IsTrial';

/** Microsoft consumption-report CSV, in chunks; the first chunk is the header line. */
export async function* exportUsageCsv(s: CoreServices, tenantIdRaw: string, periodRaw: string): AsyncGenerator<string> {
  const tenantId = requireId(tenantIdRaw, 'tenant_id');
  const requested = optionalPeriod(periodRaw, 'period');
  const { config, rows } = await readTenantState(s, tenantId, requested, (config, _state, _nowMs, rollups) => ({
    config,
    rows: byDayUserEnvironment(rollups),
  }));
  yield `${CSV_HEADER}\n`;
  const CHUNK_ROWS = 500;
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    yield rows
      .slice(i, i + CHUNK_ROWS)
      .map((r) =>
        [r.date, r.userId, r.environmentId, config.envs.get(r.environmentId)?.displayName ?? r.environmentId, String(r.credits), r.isTrial ? 'true' : 'false']
          .map(csvCell)
          .join(','),
      )
      .join('\n')
      .concat('\n');
  }
}
