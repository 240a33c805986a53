import { copilotMillis, formatMillis, type TenantPeriodState } from '@allot/domain';
import { Currency, DrawSource, type CopilotBalance } from '@allot/contracts';

type Sums = { allocation: number; unassigned: number; payg: number; overage: number };

const sumsOf = (state: TenantPeriodState, envs: readonly string[]): Sums => {
  const sums = { allocation: 0, unassigned: 0, payg: 0, overage: 0 };
  for (const env of envs) {
    const c = state.usageOf(env).copilot;
    if (c === undefined) continue;
    sums.allocation += c.allocation;
    sums.unassigned += c.unassigned;
    sums.payg += c.payg;
    sums.overage += c.overage;
  }
  return sums;
};

const bySourceToWire = (s: Sums): CopilotBalance['consumedBySource'] =>
  (
    [
      [DrawSource.DRAW_SOURCE_COPILOT_ALLOCATION, s.allocation],
      [DrawSource.DRAW_SOURCE_COPILOT_UNASSIGNED, s.unassigned],
      [DrawSource.DRAW_SOURCE_COPILOT_PAYG, s.payg],
      [DrawSource.DRAW_SOURCE_OVERAGE, s.overage],
    ] as const
  ).map(([source, millis]) => ({ source, credits: 0, currency: Currency.CURRENCY_COPILOT, amount: formatMillis(millis) }));

/** DUAL: one environment's Copilot Credits as GetBalance and ListEnvironmentBalances show them (holds count as consumed). */
export function environmentCopilotToWire(state: TenantPeriodState, environmentId: string): CopilotBalance | undefined {
  if (state.licensingModel !== 'DUAL') return undefined;
  const b = state.copilotBalanceOf(environmentId);
  return {
    consumed: formatMillis(b.consumed),
    ...(b.remaining === null ? {} : { remaining: formatMillis(b.remaining) }),
    unlimited: b.remaining === null,
    ...(b.available === null ? {} : { available: formatMillis(b.available) }),
    overage: formatMillis(b.overage),
    consumedBySource: bySourceToWire(sumsOf(state, [environmentId])),
  };
}

/**
 * DUAL: what the whole tenant may draw in Copilot Credits this period, in thousandths: the packs (allocations and
 * pool together) plus every pay-as-you-go budget; remaining what is left of them. Unlimited (nulls) when
 * pay-as-you-go is on in an environment without a budget.
 */
export const tenantCopilotLimits = (state: TenantPeriodState, envs: readonly string[]): Limits => limitsOf(state, sumsOf(state, envs));

type Limits = { available: number | null; remaining: number | null };

function limitsOf(state: TenantPeriodState, s: Sums): Limits {
  const c = state.copilot;
  const capacity = copilotMillis(c.capacity);
  let available: number | null = capacity;
  let remaining: number | null = Math.max(0, capacity - s.allocation - s.unassigned);
  if (c.paygActive) {
    for (const [env, budget] of c.payg) {
      if (budget === null || available === null || remaining === null) {
        available = null;
        remaining = null;
        continue;
      }
      available += copilotMillis(budget);
      remaining += Math.max(0, copilotMillis(budget) - (state.usageOf(env).copilot?.payg ?? 0));
    }
  }
  return { available, remaining };
}

/** DUAL: the tenant's Copilot Credits (see tenantCopilotLimits); consumed counts every environment's draws and overage. */
export function tenantCopilotToWire(state: TenantPeriodState, envs: readonly string[]): CopilotBalance | undefined {
  if (state.licensingModel !== 'DUAL') return undefined;
  const s = sumsOf(state, envs);
  const { available, remaining } = limitsOf(state, s);
  return {
    consumed: formatMillis(s.allocation + s.unassigned + s.payg + s.overage),
    ...(remaining === null ? {} : { remaining: formatMillis(remaining) }),
    unlimited: remaining === null,
    ...(available === null ? {} : { available: formatMillis(available) }),
    overage: formatMillis(s.overage),
    consumedBySource: bySourceToWire(s),
  };
}
