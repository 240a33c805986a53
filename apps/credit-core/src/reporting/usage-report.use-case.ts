import { formatMillis } from '@allot/domain';
import { UsageGroupBy, type GetUsageReportRequest, type GetUsageReportResponse } from '@allot/contracts';
import type { CoreServices } from '../core-services';
import { invalid, optionalPeriod, requireId } from '../shared/validate';
import { readTenantState } from '../tenants/tenant-view';
import { groupRollups, type UsageDimension } from './usage-rollups.service';

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
  const { config, period, rows, dual } = await readTenantState(s, tenantId, requested, (config, state, _nowMs, rollups) => ({
    config,
    period: state.period,
    // DUAL: Copilot Credits beside AI Builder credits (docs/licensing.md); CLASSIC answers stay as in v1.
    dual: state.licensingModel === 'DUAL',
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
      ...(dual ? { copilotCredits: formatMillis(r.copilotCredits), copilotOverage: formatMillis(r.copilotOverage) } : {}),
    })),
    totalCredits: rows.reduce((a, r) => a + r.credits, 0),
    totalEvents: rows.reduce((a, r) => a + r.events, 0),
    ...(dual ? { totalCopilotCredits: formatMillis(rows.reduce((a, r) => a + r.copilotCredits, 0)) } : {}),
  };
}
