import { forecast, formatMillis, type TenantPeriodState } from '@allot/domain';
import type { CopilotForecast } from '@allot/contracts';
import type { UsageGroupRow } from './usage-rollups.service';
import { tenantCopilotLimits } from './copilot-balance';

/** DUAL: what a Copilot forecast starts from, in thousandths (available null: pay-as-you-go without a budget). */
export interface CopilotScope {
  readonly consumed: number;
  readonly available: number | null;
  readonly daily: ReadonlyMap<string, number>;
}

/**
 * The Copilot side of a forecast's scope; null under CLASSIC. An environment: its Copilot balance (holds count as
 * consumed). The tenant: every environment's Copilot draws against the period's packs plus the pay-as-you-go budgets
 * (unlimited when pay-as-you-go is on somewhere without a budget).
 */
export function copilotScopeOf(state: TenantPeriodState, environmentId: string | null, days: readonly UsageGroupRow[], envs: readonly string[] = []): CopilotScope | null {
  if (state.licensingModel !== 'DUAL') return null;
  const daily = new Map(days.map((d) => [d.key, d.copilotCredits]));
  if (environmentId !== null) {
    const b = state.copilotBalanceOf(environmentId);
    return { consumed: b.consumed, available: b.available, daily };
  }
  let consumed = 0;
  for (const d of days) consumed += d.copilotCredits;
  const { available } = tenantCopilotLimits(state, envs);
  return { consumed, available, daily };
}

/** A Copilot forecast on the wire: the same 7-day burn rule as AI Builder credits, in exact decimals. */
export function copilotForecastToWire(scope: CopilotScope | null, period: string, timeZone: string, nowMs: number): CopilotForecast | undefined {
  if (scope === null) return undefined;
  const unlimited = scope.available === null;
  const f = forecast({
    period,
    timeZone,
    nowMs,
    consumed: scope.consumed,
    // Unlimited never runs out: the burn rate and projection still show.
    available: scope.available ?? Number.MAX_SAFE_INTEGER,
    daily: scope.daily,
  });
  return {
    consumed: formatMillis(scope.consumed),
    ...(scope.available === null ? {} : { available: formatMillis(scope.available) }),
    unlimited,
    burnRatePerDay: formatMillis(f.burnRatePerDay),
    projectedConsumed: formatMillis(f.projectedConsumed),
    projectedExhaustionDate: unlimited ? '' : (f.projectedExhaustionDate ?? ''),
    runsOutBeforePeriodEnd: !unlimited && f.runsOutBeforePeriodEnd,
  };
}
