/** What a what-if starts from: one tenant's current period as the core reports it (what-if.model.ts simulates on it). */
import type { CopilotUsage, EntitlementTerms, LicensingModel, StageThresholds } from '@allot/domain';

export interface EnvironmentSnapshot {
  readonly environmentId: string;
  readonly displayName: string;
  /** Monthly allocation; 0: shares the pool. */
  readonly allocation: number;
  readonly poolFallback: boolean;
  /** Consumed this period, and the parts of it drawn from a trial and counted as overage. */
  readonly consumed: number;
  readonly trialCredits: number;
  readonly overageCredits: number;
  /** DUAL: its Copilot Credit settings and draws (absent under CLASSIC). */
  readonly copilot?: EnvironmentCopilotSnapshot;
}

/** DUAL: one environment's Copilot settings (whole Copilot Credits) and what it drew this period (thousandths). */
export interface EnvironmentCopilotSnapshot {
  /** Monthly Copilot allocation; 0: none. */
  readonly allocation: number;
  /** "Draw from the available capacity in my tenant" (the Copilot pool); true unless the admin turned it off. */
  readonly drawFromTenant: boolean;
  readonly payg: boolean;
  /** Monthly pay-as-you-go budget; 0: no budget (unlimited). */
  readonly paygBudget: number;
  /** Thousandths of a Copilot Credit drawn from each source, overage included. */
  readonly usage: CopilotUsage;
}

/** DUAL: the tenant's Copilot Credit packs of the period (whole credits) and whether pay-as-you-go is billed. */
export interface TenantCopilotSnapshot {
  readonly capacity: number;
  readonly paygActive: boolean;
}

export interface EntitlementSnapshot extends EntitlementTerms {
  readonly entitlementId: string;
  readonly monthlyCredits: number;
}

/** One tenant's current period, as the core reports it. */
export interface TenantSnapshot {
  readonly period: string;
  readonly capacity: number;
  readonly allowUnassigned: boolean;
  readonly thresholds: StageThresholds;
  readonly environments: readonly EnvironmentSnapshot[];
  /** The AI Builder credit sources (capacity add-ons and licenses; Copilot packs are another currency). */
  readonly entitlements: readonly EntitlementSnapshot[];
  /** DUAL: license entitlements seed no AI Builder credits after 2026-10, and stages follow DUAL. Default CLASSIC. */
  readonly licensingModel?: LicensingModel;
  /** DUAL: the Copilot side of capacity (none: no pack, no pay-as-you-go). */
  readonly copilot?: TenantCopilotSnapshot;
}
