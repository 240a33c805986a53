/**
 * DUAL: the Copilot Credit side of a what-if's snapshot (docs/licensing.md), read from what the core sends: each
 * environment's Copilot settings (Environment) and what it drew from each Copilot source this period
 * (ListEnvironmentBalances, exact decimal strings turned into thousandths by the domain's parseMillis).
 */
import { Currency, DrawSource, type Draw, type Environment } from '@allot/contracts';
import type { CoreClient } from '@allot/grpc-client';
import { emptyCopilotUsage, parseMillis, type CopilotUsage } from '@allot/domain';
import type { EnvironmentCopilotSnapshot } from './what-if.model';

/** Where each Copilot draw of a balance counts; OVERAGE there is Copilot overage (the balance is all Copilot). */
const USAGE_FIELD: ReadonlyMap<DrawSource, keyof CopilotUsage> = new Map([
  [DrawSource.DRAW_SOURCE_COPILOT_ALLOCATION, 'allocation'],
  [DrawSource.DRAW_SOURCE_COPILOT_UNASSIGNED, 'unassigned'],
  [DrawSource.DRAW_SOURCE_COPILOT_PAYG, 'payg'],
  [DrawSource.DRAW_SOURCE_OVERAGE, 'overage'],
]);

/** Thousandths drawn from each Copilot source, from a CopilotBalance's consumed_by_source. */
export function copilotUsageOf(draws: readonly Draw[]): CopilotUsage {
  const usage = emptyCopilotUsage();
  for (const d of draws) {
    const field = USAGE_FIELD.get(d.source);
    if (field === undefined || d.currency === Currency.CURRENCY_AI_BUILDER) continue;
    const millis = parseMillis(d.amount ?? '0', 'copilot.consumed_by_source.amount');
    // The core always sends exact decimals: anything else is a broken contract, and a what-if on wrong numbers is worse than none.
    if (!millis.ok) throw new Error(`the credit service sent a Copilot amount the bot cannot read: ${millis.error.message}`);
    usage[field] += millis.value;
  }
  return usage;
}

/** environment id -> Copilot draws of the period (ListEnvironmentBalances; called for DUAL tenants only). */
export async function loadCopilotUsage(core: CoreClient, tenantId: string, period: string): Promise<Map<string, CopilotUsage>> {
  const r = await core.reporting.listEnvironmentBalances({ tenantId, period });
  return new Map(r.environments.map((b) => [b.environmentId, copilotUsageOf(b.copilot?.consumedBySource ?? [])]));
}

/** An environment's Copilot settings as the core applies them: unset reads as the default (draw from the tenant, no pay-as-you-go). */
export function environmentCopilotOf(e: Environment, usage: CopilotUsage | undefined): EnvironmentCopilotSnapshot {
  return {
    allocation: e.copilotAllocation ?? 0,
    drawFromTenant: e.copilotDrawFromTenant ?? true,
    payg: e.copilotPayg ?? false,
    paygBudget: e.copilotPaygBudget ?? 0,
    usage: usage ?? emptyCopilotUsage(),
  };
}
