/** DUAL's Copilot sources of a period from the tenant's packs and each environment's settings (docs/licensing.md). */
import type { CopilotSetup } from './tenant-period-state.types';

/** One environment's Copilot settings, in whole Copilot Credits. */
export interface EnvironmentCopilotSettings {
  readonly environmentId: string;
  /** Monthly Copilot allocation; 0: none. */
  readonly allocation: number;
  /** "Draw from the available capacity in my tenant" (the Copilot pool). */
  readonly drawFromTenant: boolean;
  readonly payg: boolean;
  /** Monthly pay-as-you-go budget; 0: no budget (unlimited). */
  readonly paygBudget: number;
}

/**
 * The CopilotSetup a period state draws from: `capacity` the packs of the period (whole credits), `paygActive` whether
 * pay-as-you-go is billed for the tenant. The one mapping of the settings, for the core and the chat bot's what-ifs.
 */
export function copilotSetupOf(capacity: number, paygActive: boolean, environments: readonly EnvironmentCopilotSettings[]): CopilotSetup {
  return {
    capacity,
    allocations: new Map(environments.filter((e) => e.allocation > 0).map((e) => [e.environmentId, e.allocation])),
    noTenantDraw: new Set(environments.filter((e) => !e.drawFromTenant).map((e) => e.environmentId)),
    paygActive,
    payg: new Map(environments.filter((e) => e.payg).map((e) => [e.environmentId, e.paygBudget > 0 ? e.paygBudget : null])),
  };
}
