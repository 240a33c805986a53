/**
 * What-ifs, computed with the domain's own rules (libs/domain): the tenant's period is rebuilt as a
 * TenantPeriodState from what the core reports, the change is applied to that copy only, and every environment's
 * stage is read before and after. Nothing is written anywhere.
 */
import {
  DEFAULT_LICENSE_CATALOG,
  TenantPeriodState,
  aiBuilderCapacityOf,
  checkAllocationChange,
  formatCredits,
  summarizeCapacity,
  type CapacitySummary,
  type EntitlementTerms,
  type EnvironmentUsage,
  type LicensingModel,
  type Stage,
  type StageThresholds,
} from '@allot/domain';

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
  /** DUAL: license entitlements seed no AI Builder credits after 2026-10. Default CLASSIC. */
  readonly licensingModel?: LicensingModel;
}

export type Change =
  /** New allocations, applied in order (a move lowers its source first). */
  | { readonly kind: 'allocations'; readonly set: readonly { readonly environmentId: string; readonly credits: number }[] }
  /** Capacity add-on units bought (each 1,000,000 credits a month). */
  | { readonly kind: 'add-capacity'; readonly credits: number }
  /** An entitlement that stops counting. */
  | { readonly kind: 'end-entitlement'; readonly entitlementId: string };

export interface EnvironmentOutcome {
  readonly environmentId: string;
  readonly displayName: string;
  readonly allocation: number;
  readonly consumed: number;
  readonly available: number;
  readonly stage: Stage;
}

export interface WhatIf {
  readonly before: readonly EnvironmentOutcome[];
  readonly after: readonly EnvironmentOutcome[];
  /** Environments whose stage differs after the change. */
  readonly stageChanges: readonly { readonly environmentId: string; readonly displayName: string; readonly from: Stage; readonly to: Stage }[];
  readonly capacityBefore: CapacitySummary;
  readonly capacityAfter: CapacitySummary;
  /** Set when the change would be refused by the core; the sentence has the numbers. */
  readonly refused?: string;
}

function usageOf(e: EnvironmentSnapshot): EnvironmentUsage {
  const drawn = Math.max(0, e.consumed - e.trialCredits - e.overageCredits);
  // Draw order: the allocation first, then the pool (docs/credit-rules.md, Draw order); without an allocation everything is pool.
  const allocation = e.allocation > 0 ? Math.min(drawn, e.allocation) : 0;
  return { allocation, unassigned: drawn - allocation, trial: e.trialCredits, overage: e.overageCredits, events: 0 };
}

function stateOf(s: TenantSnapshot, capacity: number, allocations: ReadonlyMap<string, number>): TenantPeriodState {
  return new TenantPeriodState({
    period: s.period,
    settings: { allowUnassigned: s.allowUnassigned, thresholds: s.thresholds },
    capacity,
    allocations,
    poolFallback: new Set(s.environments.filter((e) => e.poolFallback).map((e) => e.environmentId)),
    usage: new Map(s.environments.map((e) => [e.environmentId, usageOf(e)])),
    trials: new Map(),
  });
}

function outcomes(s: TenantSnapshot, state: TenantPeriodState): EnvironmentOutcome[] {
  const allocations = state.allocations();
  return s.environments.map((e) => {
    const b = state.balanceOf(e.environmentId);
    return { environmentId: e.environmentId, displayName: e.displayName, allocation: allocations.get(e.environmentId) ?? 0, consumed: e.consumed, available: b.available, stage: b.stage };
  });
}

/** The domain's refusal for an allocation, in words with thousands separators. */
function allocationRefusal(capacity: number, allocations: ReadonlyMap<string, number>, environmentId: string, credits: number): string | undefined {
  const r = checkAllocationChange(capacity, allocations, environmentId, credits);
  if (r.ok) return undefined;
  if (r.error.code !== 'ALLOCATION.EXCEEDS_CAPACITY') return r.error.message;
  const current = allocations.get(environmentId) ?? 0;
  let allocated = 0;
  for (const v of allocations.values()) allocated += v;
  const unassigned = Math.max(0, capacity - allocated);
  return (
    `${environmentId} cannot go from ${formatCredits(current)} to ${formatCredits(credits)} credits: only ${formatCredits(unassigned)} unassigned ` +
    `(capacity ${formatCredits(capacity)}, allocated ${formatCredits(allocated)}); ${environmentId} can have at most ${formatCredits(current + unassigned)}`
  );
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
  } else {
    capacity = capacityWithout(s, change.entitlementId);
  }
  const after = refused === undefined ? outcomes(s, stateOf(s, capacity, allocations)) : before;
  const stageChanges = after.flatMap((a, i) => {
    const b = before[i];
    return b !== undefined && b.stage !== a.stage ? [{ environmentId: a.environmentId, displayName: a.displayName, from: b.stage, to: a.stage }] : [];
  });
  return {
    before,
    after,
    stageChanges,
    capacityBefore: summarizeCapacity(s.capacity, allocationsBefore),
    capacityAfter: refused === undefined ? summarizeCapacity(capacity, allocations) : summarizeCapacity(s.capacity, allocationsBefore),
    ...(refused !== undefined ? { refused } : {}),
  };
}
