import type { Period } from './period';
import type { StageThresholds, Stage, DenialReason } from './stage';
import type { TrialState } from './trial';

export type DrawSource = 'ALLOCATION' | 'UNASSIGNED' | 'TRIAL' | 'OVERAGE';

/** Part of one event's credits and where it came from. */
export interface Draw {
  readonly source: DrawSource;
  readonly credits: number;
}

/** What one environment consumed in a period, by source. */
export interface EnvironmentUsage {
  allocation: number;
  unassigned: number;
  trial: number;
  overage: number;
  events: number;
}

export interface TenantSettings {
  readonly allowUnassigned: boolean;
  readonly thresholds: StageThresholds;
}

/** Everything the rules need about one tenant in one period. Built by the core from its stored projection. */
export interface TenantPeriodInit {
  readonly period: Period;
  readonly settings: TenantSettings;
  /** Capacity(P). */
  readonly capacity: number;
  /** environment id -> monthly allocation (> 0 only). */
  readonly allocations: ReadonlyMap<string, number>;
  /** environment ids with tenant_pool_fallback. */
  readonly poolFallback: ReadonlySet<string>;
  /** environment id -> usage so far in the period (taken over and mutated by record()). */
  readonly usage: Map<string, EnvironmentUsage>;
  /** user id -> trial; shared with the tenant's other periods (mutated by record() on trial draws). */
  readonly trials: Map<string, TrialState>;
}

/** Balance of the scope an environment draws from: its allocation, or the shared pool. */
export interface ScopeBalance {
  readonly scope: 'ENVIRONMENT' | 'POOL';
  readonly available: number;
  readonly consumed: number;
  readonly remaining: number;
  readonly overage: number;
  readonly stage: Stage;
  /** Set when the scope is BLOCKED for lack of any credits. */
  readonly reason: DenialReason | null;
}

/**
 * The live projection of one tenant and period: draw order, balances, stages. Pure and synchronous; the core
 * persists what record() changed. All numbers are integers.
 */
export declare class TenantPeriodState {
  constructor(init: TenantPeriodInit);
  readonly period: Period;
  readonly capacity: number;
  /** Capacity - allocations, 0 if over-allocated; 0 too when allow_unassigned is false. */
  unassignedPool(): number;
  /** Credits drawn from the pool so far (by any environment) plus overage of environments without an allocation. */
  poolConsumed(): number;
  usageOf(environmentId: string): EnvironmentUsage;
  /**
   * Split of `credits` for an event in environmentId by userId (DOMAIN.md draw order). Does not change state.
   * 0 credits: no draws.
   */
  planDraws(environmentId: string, userId: string, credits: number, nowMs: number): Draw[];
  /** Applies an event's draws to usage, pool and trial. */
  record(environmentId: string, userId: string, draws: readonly Draw[]): void;
  /** Balance and stage of the scope environmentId draws from. */
  balanceOf(environmentId: string): ScopeBalance;
  /** Balance of the shared pool (environments without an allocation). */
  poolBalance(): ScopeBalance;
  /** Changes after admin actions (stages follow at once, as they are computed). */
  setCapacity(capacity: number): void;
  setAllocation(environmentId: string, credits: number): void;
  setPoolFallback(environmentId: string, enabled: boolean): void;
  setSettings(settings: TenantSettings): void;
  allocations(): ReadonlyMap<string, number>;
}
