import { periodOf, type TenantPeriodState } from '@allot/domain';
import { applyLicensing } from './licensing-config';
import type { RollupDoc } from '../storage/collections';
import type { TenantActorDeps, TenantConfig } from './tenant-types';

/** What the actor offers an exclusive task (see TenantContext). */
export interface TenantContextHost {
  readonly tenantId: string;
  periodState(config: TenantConfig, period: string): Promise<TenantPeriodState>;
  rollupsOf(period: string): RollupDoc[];
  loadedPeriods(): TenantPeriodState[];
  raiseAlerts(config: TenantConfig, periods: readonly string[]): Promise<number>;
  /** The seq every projection write of this task must carry (memory is exact up to it). */
  readonly seq: number;
}

/**
 * What an exclusive task (an admin use case, maintenance) may use: the loaded configuration, period states,
 * and a way to tell the actor that configuration changed (stages recomputed, alerts raised).
 */
export class TenantContext {
  constructor(
    private readonly host: TenantContextHost,
    readonly config: TenantConfig,
    readonly deps: TenantActorDeps,
  ) {}

  get tenantId(): string {
    return this.host.tenantId;
  }

  /** The ledger high-water mark to store with a projection document written by this task. */
  get seq(): number {
    return this.host.seq;
  }

  now(): number {
    return this.deps.clock.now();
  }

  currentPeriod(nowMs = this.now()): string {
    return periodOf(nowMs, this.config.tenant.timeZone);
  }

  periodState(period: string): Promise<TenantPeriodState> {
    return this.host.periodState(this.config, period);
  }

  /**
   * Applies the configuration (settings, capacity, allocations, fallback) to every loaded period state, then
   * raises the stage alerts this caused. Returns how many environments changed stage.
   */
  async configChanged(): Promise<number> {
    const cfg = this.config;
    for (const state of this.host.loadedPeriods()) {
      state.setSettings({ allowUnassigned: cfg.tenant.allowUnassigned, thresholds: cfg.tenant.thresholds });
      // Model, AI Builder capacity (seeded credits end under DUAL), Copilot sources, source caps (docs/licensing.md).
      applyLicensing(state, cfg);
      for (const env of state.allocations().keys()) if (!cfg.envs.has(env)) state.setAllocation(env, 0);
      for (const env of cfg.envs.values()) {
        state.setAllocation(env.environmentId, env.allocation);
        state.setPoolFallback(env.environmentId, env.tenantPoolFallback);
      }
    }
    const current = await this.periodState(this.currentPeriod());
    return this.host.raiseAlerts(cfg, [current.period]);
  }

  raiseStageAlerts(periods: readonly string[]): Promise<number> {
    return this.host.raiseAlerts(this.config, periods);
  }

  /** The period's rollups (loading the period if needed), exact up to the last acknowledged event. */
  async rollups(period: string): Promise<RollupDoc[]> {
    await this.periodState(period);
    return this.host.rollupsOf(period);
  }
}
