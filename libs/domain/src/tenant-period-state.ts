import type { Period } from './period';
import type { StageThresholds, Stage, DenialReason } from './stage';
import type { TrialState } from './trial';
import { stageFor } from './stage';
import { trialRemaining, trialStatusAt } from './trial';

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

const emptyUsage = (): EnvironmentUsage => ({ allocation: 0, unassigned: 0, trial: 0, overage: 0, events: 0 });

/**
 * The live projection of one tenant and period: draw order, balances, stages. Pure and synchronous; the core
 * persists what record() changed. All numbers are integers.
 *
 * Nothing derived (pool drawn, stages) is cached: every read recomputes from allocations, settings and usage,
 * which is what makes an admin change lift a block "in the same second" (docs/credit-rules.md, Stages).
 */
export class TenantPeriodState {
  readonly period: Period;
  private currentCapacity: number;
  private currentSettings: TenantSettings;
  private readonly allocationByEnv: Map<string, number>;
  private readonly fallbackEnvs: Set<string>;
  private readonly usage: Map<string, EnvironmentUsage>;
  private readonly trials: Map<string, TrialState>;

  constructor(init: TenantPeriodInit) {
    this.period = init.period;
    this.currentCapacity = init.capacity;
    this.currentSettings = init.settings;
    // Copies: admin changes go through the setters, not through the caller's maps.
    this.allocationByEnv = new Map([...init.allocations].filter(([, credits]) => credits > 0));
    this.fallbackEnvs = new Set(init.poolFallback);
    // Taken over on purpose: the core persists the very objects record() mutates.
    this.usage = init.usage;
    this.trials = init.trials;
  }

  get capacity(): number {
    return this.currentCapacity;
  }

  get settings(): TenantSettings {
    return this.currentSettings;
  }

  /** Capacity - allocations, 0 if over-allocated; 0 too when allow_unassigned is false. */
  unassignedPool(): number {
    if (!this.currentSettings.allowUnassigned) return 0;
    return Math.max(0, this.currentCapacity - this.allocatedTotal());
  }

  /** Credits drawn from the pool so far (by any environment) plus overage of environments without an allocation. */
  poolConsumed(): number {
    let consumed = 0;
    for (const [env, u] of this.usage) {
      consumed += u.unassigned;
      if (!this.hasAllocation(env)) consumed += u.overage;
    }
    return consumed;
  }

  /** Credits still in the pool: unassignedPool() minus what anyone drew from it this period. */
  poolRemaining(): number {
    let drawn = 0;
    for (const u of this.usage.values()) drawn += u.unassigned;
    return Math.max(0, this.unassignedPool() - drawn);
  }

  usageOf(environmentId: string): EnvironmentUsage {
    // A copy, so callers cannot bypass record().
    return { ...(this.usage.get(environmentId) ?? emptyUsage()) };
  }

  hasAllocation(environmentId: string): boolean {
    return (this.allocationByEnv.get(environmentId) ?? 0) > 0;
  }

  hasPoolFallback(environmentId: string): boolean {
    return this.fallbackEnvs.has(environmentId);
  }

  trialOf(userId: string): TrialState | undefined {
    return this.trials.get(userId);
  }

  /** Credits the user's trial can still give in an environment without an allocation (0 if unusable). */
  usableTrialCredits(userId: string, nowMs: number): number {
    if (!this.currentSettings.allowUnassigned) return 0;
    const trial = this.trials.get(userId);
    return trial === undefined ? 0 : trialRemaining(trial, nowMs);
  }

  /** Does any user of the tenant hold an ACTIVE trial at nowMs? */
  hasActiveTrial(nowMs: number): boolean {
    for (const t of this.trials.values()) if (trialStatusAt(t, nowMs) === 'ACTIVE') return true;
    return false;
  }

  /**
   * Does any user hold a trial still in its term at nowMs (ACTIVE, or EXHAUSTED: credits used up before the
   * end)? Such a tenant has an entitlement, so its refusals are NO_CAPACITY (docs/credit-rules.md, Trials).
   */
  hasTrialInTerm(nowMs: number): boolean {
    for (const t of this.trials.values()) if (trialStatusAt(t, nowMs) !== 'EXPIRED') return true;
    return false;
  }

  /**
   * Split of `credits` for an event in environmentId by userId (docs/credit-rules.md, Draw order). Does not change state.
   * 0 credits: no draws.
   */
  planDraws(environmentId: string, userId: string, credits: number, nowMs: number): Draw[] {
    const draws: Draw[] = [];
    let left = Math.max(0, credits);
    const take = (source: DrawSource, limit: number): void => {
      const taken = Math.min(left, Math.max(0, limit));
      if (taken > 0) {
        draws.push({ source, credits: taken });
        left -= taken;
      }
    };
    const allowUnassigned = this.currentSettings.allowUnassigned;
    const allocation = this.allocationByEnv.get(environmentId) ?? 0;
    if (allocation > 0) {
      take('ALLOCATION', allocation - this.usedOfAllocation(environmentId));
      if (this.fallbackEnvs.has(environmentId) && allowUnassigned) take('UNASSIGNED', this.poolRemaining());
    } else if (allowUnassigned) {
      take('UNASSIGNED', this.poolRemaining());
      take('TRIAL', this.usableTrialCredits(userId, nowMs));
    }
    take('OVERAGE', left);
    return draws;
  }

  /**
   * Applies an event's draws to usage, pool and trial. Counts one event even with no draws, since free
   * operations are recorded too. A TRIAL draw for a user without a trial is a broken invariant: it throws.
   */
  record(environmentId: string, userId: string, draws: readonly Draw[]): void {
    const trial = this.trials.get(userId);
    if (trial === undefined && draws.some((d) => d.source === 'TRIAL' && d.credits > 0)) {
      throw new Error(`draw from the trial of ${userId}, who has no trial`);
    }
    let u = this.usage.get(environmentId);
    if (u === undefined) {
      u = emptyUsage();
      this.usage.set(environmentId, u);
    }
    for (const d of draws) {
      switch (d.source) {
        case 'ALLOCATION':
          u.allocation += d.credits;
          break;
        case 'UNASSIGNED':
          u.unassigned += d.credits;
          break;
        case 'TRIAL':
          u.trial += d.credits;
          if (trial !== undefined) {
            trial.consumed += d.credits;
            if (trial.consumed >= trial.credits) trial.status = 'EXHAUSTED';
          }
          break;
        case 'OVERAGE':
          u.overage += d.credits;
          break;
      }
    }
    u.events += 1;
  }

  /** Balance and stage of the scope environmentId draws from. */
  balanceOf(environmentId: string): ScopeBalance {
    const allocation = this.allocationByEnv.get(environmentId) ?? 0;
    if (allocation <= 0) return this.poolBalance();
    const u = this.usage.get(environmentId) ?? emptyUsage();
    // What it drew from the pool under fallback widened its budget, so it counts as available.
    const available = allocation + u.unassigned;
    const consumed = u.allocation + u.unassigned + u.trial + u.overage;
    const fallbackOpen = this.fallbackEnvs.has(environmentId) && this.currentSettings.allowUnassigned;
    const remaining = Math.max(0, allocation - this.usedOfAllocation(environmentId)) + (fallbackOpen ? this.poolRemaining() : 0);
    const stage = stageFor(consumed, available, this.currentSettings.thresholds);
    return { scope: 'ENVIRONMENT', available, consumed, remaining, overage: u.overage, stage, reason: null };
  }

  /** Balance of the shared pool (environments without an allocation). */
  poolBalance(): ScopeBalance {
    const available = this.unassignedPool();
    const consumed = this.poolConsumed();
    let overage = 0;
    for (const [env, u] of this.usage) if (!this.hasAllocation(env)) overage += u.overage;
    const stage = stageFor(consumed, available, this.currentSettings.thresholds);
    return {
      scope: 'POOL',
      available,
      consumed,
      remaining: this.poolRemaining(),
      overage,
      stage,
      reason: available === 0 ? 'NO_CAPACITY' : null,
    };
  }

  /** Changes after admin actions (stages follow at once, as they are computed). */
  setCapacity(capacity: number): void {
    this.currentCapacity = capacity;
  }

  /** 0 (or less) removes the allocation, as on the wire. */
  setAllocation(environmentId: string, credits: number): void {
    if (credits > 0) this.allocationByEnv.set(environmentId, credits);
    else this.allocationByEnv.delete(environmentId);
  }

  setPoolFallback(environmentId: string, enabled: boolean): void {
    if (enabled) this.fallbackEnvs.add(environmentId);
    else this.fallbackEnvs.delete(environmentId);
  }

  setSettings(settings: TenantSettings): void {
    this.currentSettings = settings;
  }

  allocations(): ReadonlyMap<string, number> {
    return new Map(this.allocationByEnv);
  }

  /**
   * What an environment has used of its allocation: its allocation draws plus its overage. Overage counts
   * because raising the allocation covers work already done: 12,600 consumed against a new 20,000 leaves
   * 7,400, not 20,000 - 10,000 drawn before the raise.
   */
  private usedOfAllocation(environmentId: string): number {
    const u = this.usage.get(environmentId);
    return u === undefined ? 0 : u.allocation + u.overage;
  }

  private allocatedTotal(): number {
    let total = 0;
    for (const credits of this.allocationByEnv.values()) total += credits;
    return total;
  }
}
