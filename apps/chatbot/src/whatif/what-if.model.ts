/**
 * What-ifs, computed with the domain's own rules (libs/domain): the tenant's period is rebuilt as a
 * TenantPeriodState from what the core reports, the change is applied to that copy only, and every environment's
 * stage is read before and after, as the core shows it (environmentStageOf: under DUAL both currencies, no grace).
 * A DUAL tenant's Copilot Credit settings can be changed too (copilot-change.ts). Nothing is written anywhere.
 */
import {
  DEFAULT_LICENSE_CATALOG,
  TenantPeriodState,
  aiBuilderCapacityOf,
  copilotSetupOf,
  environmentStageOf,
  summarizeCapacity,
  type CapacitySummary,
  type CopilotBalance,
  type CopilotSetup,
  type EnvironmentUsage,
  type LicensingModel,
  type Stage,
} from '@allot/domain';
import { allocationRefusal } from './allocation-refusal';
import { applyCopilotChange, copilotCapacityOf, type CopilotSettingsChange } from './copilot-change';
import type { EnvironmentSnapshot, TenantSnapshot } from './what-if.snapshot';

// The snapshot types live in what-if.snapshot.ts (copilot-change.ts needs them too); re-exported for importers.
export type { EntitlementSnapshot, EnvironmentCopilotSnapshot, EnvironmentSnapshot, TenantCopilotSnapshot, TenantSnapshot } from './what-if.snapshot';

export type Change =
  /** New allocations, applied in order (a move lowers its source first). */
  | { readonly kind: 'allocations'; readonly set: readonly { readonly environmentId: string; readonly credits: number }[] }
  /** Capacity add-on units bought (each 1,000,000 credits a month). */
  | { readonly kind: 'add-capacity'; readonly credits: number }
  /** An entitlement that stops counting. */
  | { readonly kind: 'end-entitlement'; readonly entitlementId: string }
  /** DUAL: new Copilot Credit settings (allocations, draw from the tenant, pay-as-you-go), applied in order. */
  | { readonly kind: 'copilot'; readonly set: readonly CopilotSettingsChange[] };

export interface EnvironmentOutcome {
  readonly environmentId: string;
  readonly displayName: string;
  readonly allocation: number;
  readonly consumed: number;
  readonly available: number;
  readonly stage: Stage;
  /** DUAL: the environment's Copilot Credits in thousandths (remaining and available null: pay-as-you-go, no budget). */
  readonly copilot?: CopilotBalance;
}

export interface WhatIf {
  readonly before: readonly EnvironmentOutcome[];
  readonly after: readonly EnvironmentOutcome[];
  /** Environments whose stage differs after the change. */
  readonly stageChanges: readonly { readonly environmentId: string; readonly displayName: string; readonly from: Stage; readonly to: Stage }[];
  readonly capacityBefore: CapacitySummary;
  readonly capacityAfter: CapacitySummary;
  /** DUAL: the Copilot pool (packs, allocated, unassigned) before and after. */
  readonly copilotCapacityBefore?: CapacitySummary;
  readonly copilotCapacityAfter?: CapacitySummary;
  readonly licensingModel: LicensingModel;
  /** Set when the change would be refused by the core; the sentence has the numbers. */
  readonly refused?: string;
}

/**
 * The snapshot has no trials, so stages are read for no particular user (as ListEnvironmentBalances reads them) and
 * the instant only matters for trials: any fixed one gives the same answer.
 */
const NO_USER = '';
const NO_TRIAL_INSTANT = 0;

function usageOf(e: EnvironmentSnapshot, dual: boolean): EnvironmentUsage {
  const drawn = Math.max(0, e.consumed - e.trialCredits - e.overageCredits);
  // Draw order: the allocation first, then the pool (docs/credit-rules.md, Draw order); without an allocation everything is pool.
  const allocation = e.allocation > 0 ? Math.min(drawn, e.allocation) : 0;
  const usage: EnvironmentUsage = { allocation, unassigned: drawn - allocation, trial: e.trialCredits, overage: e.overageCredits, events: 0 };
  if (dual && e.copilot !== undefined) usage.copilot = { ...e.copilot.usage };
  return usage;
}

/** DUAL's Copilot sources, by the domain's one mapping of the settings (the core's too). */
const copilotSetupFromSnapshot = (s: TenantSnapshot): CopilotSetup =>
  copilotSetupOf(
    s.copilot?.capacity ?? 0,
    s.copilot?.paygActive ?? false,
    s.environments.flatMap((e) => (e.copilot === undefined ? [] : [{ environmentId: e.environmentId, ...e.copilot }])),
  );

function stateOf(s: TenantSnapshot, capacity: number, allocations: ReadonlyMap<string, number>): TenantPeriodState {
  const dual = s.licensingModel === 'DUAL';
  return new TenantPeriodState({
    period: s.period,
    settings: { allowUnassigned: s.allowUnassigned, thresholds: s.thresholds },
    capacity,
    allocations,
    poolFallback: new Set(s.environments.filter((e) => e.poolFallback).map((e) => e.environmentId)),
    usage: new Map(s.environments.map((e) => [e.environmentId, usageOf(e, dual)])),
    trials: new Map(),
    ...(dual ? { licensingModel: 'DUAL' as const, copilot: copilotSetupFromSnapshot(s) } : {}),
  });
}

function outcomes(s: TenantSnapshot, state: TenantPeriodState): EnvironmentOutcome[] {
  const allocations = state.allocations();
  const dual = state.licensingModel === 'DUAL';
  return s.environments.map((e) => ({
    environmentId: e.environmentId,
    displayName: e.displayName,
    allocation: allocations.get(e.environmentId) ?? 0,
    consumed: e.consumed,
    available: state.balanceOf(e.environmentId).available,
    stage: environmentStageOf(state, e.environmentId, NO_USER, NO_TRIAL_INSTANT),
    ...(dual ? { copilot: state.copilotBalanceOf(e.environmentId) } : {}),
  }));
}

/** Capacity of the period once `entitlementId` no longer counts. */
export function capacityWithout(s: TenantSnapshot, entitlementId: string): number {
  return aiBuilderCapacityOf(s.licensingModel ?? 'CLASSIC', s.entitlements.filter((e) => e.entitlementId !== entitlementId), s.period, DEFAULT_LICENSE_CATALOG);
}

/** Stages before and after `change`, and whether the core would refuse it. */
export function simulate(s: TenantSnapshot, change: Change): WhatIf {
  const allocationsBefore = new Map(s.environments.filter((e) => e.allocation > 0).map((e) => [e.environmentId, e.allocation]));
  const before = outcomes(s, stateOf(s, s.capacity, allocationsBefore));
  let capacity = s.capacity;
  let changed = s;
  const allocations = new Map(allocationsBefore);
  let refused: string | undefined;
  if (change.kind === 'allocations') {
    for (const step of change.set) {
      refused = allocationRefusal(capacity, allocations, step.environmentId, step.credits);
      if (refused !== undefined) break;
      if (step.credits > 0) allocations.set(step.environmentId, step.credits);
      else allocations.delete(step.environmentId);
    }
  } else if (change.kind === 'add-capacity') {
    capacity += change.credits;
  } else if (change.kind === 'end-entitlement') {
    capacity = capacityWithout(s, change.entitlementId);
  } else {
    const r = applyCopilotChange(s, change.set);
    refused = r.refused;
    changed = r.snapshot;
  }
  const after = refused === undefined ? outcomes(changed, stateOf(changed, capacity, allocations)) : before;
  const stageChanges = after.flatMap((a, i) => {
    const b = before[i];
    return b !== undefined && b.stage !== a.stage ? [{ environmentId: a.environmentId, displayName: a.displayName, from: b.stage, to: a.stage }] : [];
  });
  const dual = s.licensingModel === 'DUAL';
  return {
    before,
    after,
    stageChanges,
    capacityBefore: summarizeCapacity(s.capacity, allocationsBefore),
    capacityAfter: refused === undefined ? summarizeCapacity(capacity, allocations) : summarizeCapacity(s.capacity, allocationsBefore),
    ...(dual ? { copilotCapacityBefore: copilotCapacityOf(s), copilotCapacityAfter: copilotCapacityOf(refused === undefined ? changed : s) } : {}),
    licensingModel: s.licensingModel ?? 'CLASSIC',
    ...(refused !== undefined ? { refused } : {}),
  };
}
