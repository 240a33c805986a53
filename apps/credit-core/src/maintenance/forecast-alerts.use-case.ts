import { parseMillis } from '@allot/domain';
import type { GetForecastResponse } from '@allot/contracts';
import type { CoreServices } from '../core-services';
import { unwrap } from '../shared/core-error';
import { requireId } from '../shared/validate';
import { getForecast } from '../reporting/forecast.use-case';
import { requireMaintenanceNow } from './maintenance.use-cases';

/** Raises a forecast alert, once per environment (or pool) and period, when credits run out before period end. */
export async function raiseForecastAlerts(s: CoreServices, tenantIdRaw: string, now: Date | undefined): Promise<number> {
  const tenantId = requireId(tenantIdRaw, 'tenant_id');
  const nowMs = requireMaintenanceNow(s, now) ?? s.clock.now();
  const envs = await s.tenants.get(tenantId).exclusive(async (ctx) => [...ctx.config.envs.values()]);
  let raised = 0;
  for (const env of envs) {
    const f = await getForecast(s, tenantId, env.environmentId, nowMs);
    if (await raiseCopilotForecastAlert(s, tenantId, env, f, nowMs)) raised += 1;
    if (!f.runsOutBeforePeriodEnd || f.consumed === 0) continue;
    const alert = await s.outbox.raise(
      {
        tenantId,
        kind: 'FORECAST_EXHAUSTION',
        cause: `forecast:${env.environmentId}:${f.period}`,
        environmentId: env.environmentId,
        environmentDisplayName: env.displayName,
        period: f.period,
        consumed: f.consumed,
        available: f.available,
        title: `${env.displayName} runs out of credits on ${f.projectedExhaustionDate}`,
        message:
          `at ${f.burnRatePerDay} credits a day, ${env.environmentId} uses its ${f.available} credits by ` +
          `${f.projectedExhaustionDate}, before ${f.period} ends (projected ${f.projectedConsumed})`,
      },
      new Date(nowMs),
    );
    if (alert !== null) raised += 1;
  }
  return raised;
}

/** DUAL: the same alert for Copilot Credits, once per environment and period, with that currency's exhaustion date. */
async function raiseCopilotForecastAlert(
  s: CoreServices,
  tenantId: string,
  env: { environmentId: string; displayName: string },
  f: GetForecastResponse,
  nowMs: number,
): Promise<boolean> {
  const c = f.copilot;
  if (c === undefined || !c.runsOutBeforePeriodEnd || c.available === undefined) return false;
  const consumed = unwrap(parseMillis(c.consumed, 'consumed'));
  const available = unwrap(parseMillis(c.available, 'available'));
  if (consumed === 0) return false;
  const alert = await s.outbox.raise(
    {
      tenantId,
      kind: 'FORECAST_EXHAUSTION',
      cause: `forecast-copilot:${env.environmentId}:${f.period}`,
      environmentId: env.environmentId,
      environmentDisplayName: env.displayName,
      period: f.period,
      currency: 'COPILOT',
      copilot: { consumed, available },
      title: `${env.displayName} runs out of Copilot Credits on ${c.projectedExhaustionDate}`,
      message:
        `at ${c.burnRatePerDay} Copilot Credits a day, ${env.environmentId} uses its ${c.available} Copilot Credits by ` +
        `${c.projectedExhaustionDate}, before ${f.period} ends (projected ${c.projectedConsumed})`,
    },
    new Date(nowMs),
  );
  return alert !== null;
}
