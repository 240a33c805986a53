/**
 * DUAL: a change of Copilot Credit settings (allocations, "draw from the tenant", pay-as-you-go) applied to a copy of
 * a what-if's snapshot, and refused as the core would refuse it (Copilot allocations above the packs). Nothing is
 * written anywhere.
 */
import { summarizeCapacity, type CapacitySummary } from '@allot/domain';
import { allocationRefusal, COPILOT_WORDS } from './allocation-refusal';
import type { EnvironmentCopilotSnapshot, TenantSnapshot } from './what-if.snapshot';

/** New Copilot settings of one environment (whole Copilot Credits); the ones left unset stay as they are. */
export type CopilotSettingsChange = { readonly environmentId: string } & Partial<Pick<EnvironmentCopilotSnapshot, 'allocation' | 'drawFromTenant' | 'payg' | 'paygBudget'>>;

export const NOT_DUAL = 'Copilot Credits apply only to tenants on the DUAL licensing model';

const allocationsOf = (environments: TenantSnapshot['environments']): Map<string, number> =>
  new Map(environments.flatMap((e) => (e.copilot !== undefined && e.copilot.allocation > 0 ? [[e.environmentId, e.copilot.allocation] as const] : [])));

/** The Copilot pool: the packs, what is allocated and what is unassigned (GetCapacity.copilot, from the same numbers). */
export const copilotCapacityOf = (s: TenantSnapshot): CapacitySummary => summarizeCapacity(s.copilot?.capacity ?? 0, allocationsOf(s.environments));

/** The snapshot once `set` is applied in order (a move lowers its source first), or why the core would refuse it. */
export function applyCopilotChange(s: TenantSnapshot, set: readonly CopilotSettingsChange[]): { snapshot: TenantSnapshot; refused?: string } {
  if (s.licensingModel !== 'DUAL') return { snapshot: s, refused: NOT_DUAL };
  let environments = s.environments;
  for (const step of set) {
    const c = environments.find((e) => e.environmentId === step.environmentId)?.copilot;
    if (c === undefined) return { snapshot: s, refused: `${step.environmentId} has no Copilot Credit settings` };
    if (step.allocation !== undefined) {
      const refused = allocationRefusal(s.copilot?.capacity ?? 0, allocationsOf(environments), step.environmentId, step.allocation, COPILOT_WORDS);
      if (refused !== undefined) return { snapshot: s, refused };
    }
    const next: EnvironmentCopilotSnapshot = {
      ...c,
      allocation: step.allocation ?? c.allocation,
      drawFromTenant: step.drawFromTenant ?? c.drawFromTenant,
      payg: step.payg ?? c.payg,
      paygBudget: step.paygBudget ?? c.paygBudget,
    };
    environments = environments.map((e) => (e.environmentId === step.environmentId ? { ...e, copilot: next } : e));
  }
  return { snapshot: { ...s, environments } };
}
