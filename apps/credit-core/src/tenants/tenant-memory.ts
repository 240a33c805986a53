import { TenantPeriodState, emptyEnvironmentUsage, periodOf, previousPeriod, type EnvironmentUsage } from '@allot/domain';
import { aiBuilderCapacityFor, licensingInitFor } from './licensing-config';
import type { Hold } from '@allot/domain';
import type { Collections, LedgerDoc, RollupDoc } from '../storage/collections';
import { replayJournal, sourceKeyOf } from './ledger-truth';
import { usageFromDoc } from '../storage/mappers';
import type { TenantConfig, TenantView } from './tenant-types';

/** A period in memory: its live state, the usage map that state mutates, and its rollups. */
export interface LoadedPeriod {
  readonly state: TenantPeriodState;
  readonly usage: Map<string, EnvironmentUsage>;
  readonly rollups: Map<string, RollupDoc>;
}

/** Periods kept in memory: the current one, the previous one (late events), and two more for reads (more only while unwritten). */
const MAX_PERIODS = 4;

/**
 * What a tenant's actor holds: configuration and trials, the aggregates of a few periods, and the journal events a
 * load found above the projections (applied to a period when it loads). Nothing here grows with the ledger.
 */
export class TenantMemory {
  config: TenantConfig | null = null;
  readonly periods = new Map<string, LoadedPeriod>();
  /** Highest committed seq (everything up to it is in memory). */
  seq = 0;
  /** Committed journal events not yet applied to their period's projections in memory, by period. */
  readonly replay = new Map<string, LedgerDoc[]>();

  constructor(
    readonly tenantId: string,
    private readonly c: Collections,
    /** Called when a period loads (alert baselines) and with what a replay changed (to be written). */
    private readonly hooks: {
      readonly periodLoaded: (period: string) => Promise<void>;
      readonly replayed: (loaded: LoadedPeriod, changed: ReturnType<typeof replayJournal>) => void;
      /** True while changes of the period wait for the projection flush. */
      readonly unwritten: (period: string) => boolean;
      readonly now: () => number;
    },
  ) {}

  view(period: string): TenantView | null {
    const p = this.periods.get(period);
    return this.config === null || p === undefined ? null : { config: this.config, state: p.state, rollups: p.rollups.values() };
  }

  viewAt(nowMs: number, period?: string): TenantView | null {
    if (this.config === null) return null;
    return this.view(period ?? periodOf(nowMs, this.config.tenant.timeZone));
  }

  /** The live state of a period (loaded from its usage and rollup documents plus the journal on first use). */
  async period(config: TenantConfig, period: string): Promise<LoadedPeriod> {
    const cached = this.periods.get(period);
    if (cached !== undefined) return cached;
    const t = this.tenantId;
    const [docs, rollupDocs, sourceDocs, held] = await Promise.all([
      this.c.usage.find({ tenantId: t, period }).toArray(),
      this.c.rollups.find({ tenantId: t, period }).toArray(),
      this.c.sourceUsage.find({ tenantId: t, period }).toArray(),
      // Open reservations survive a restart and a change of owner (docs/licensing.md, Reservations).
      this.c.reservations.find({ tenantId: t, period, status: 'HELD' }).toArray(),
    ]);
    const nowMs = this.hooks.now();
    const holds = new Map<string, Hold>(
      held
        .filter((r) => r.expiresAt.getTime() > nowMs)
        .map((r) => [r.reservationId, { reservationId: r.reservationId, environmentId: r.environmentId, userId: r.userId, sourceId: r.sourceId, draws: r.draws, expiresAtMs: r.expiresAt.getTime() }]),
    );
    const usage = new Map<string, EnvironmentUsage>(
      docs.map((d) => [d.environmentId, usageFromDoc(d)]),
    );
    for (const d of sourceDocs) {
      let u = usage.get(d.environmentId);
      if (u === undefined) {
        u = emptyEnvironmentUsage();
        usage.set(d.environmentId, u);
      }
      (u.sources ??= new Map()).set(d.source, { credits: d.credits, copilot: d.copilot });
    }
    const rollups = new Map(rollupDocs.map((d) => [d._id, d]));
    const pending = this.replay.get(period);
    const seqs = {
      usage: new Map(docs.map((d) => [d.environmentId, d.seq])),
      sources: new Map(sourceDocs.map((d) => [sourceKeyOf(d.environmentId, d.source), d.seq])),
    };
    const changed = pending === undefined ? null : replayJournal(t, usage, seqs, rollups, pending);
    const state = new TenantPeriodState({
      period,
      settings: { allowUnassigned: config.tenant.allowUnassigned, thresholds: config.tenant.thresholds },
      capacity: aiBuilderCapacityFor(config, period),
      allocations: new Map([...config.envs.values()].map((e) => [e.environmentId, e.allocation])),
      poolFallback: new Set([...config.envs.values()].filter((e) => e.tenantPoolFallback).map((e) => e.environmentId)),
      usage,
      trials: config.trials,
      ...licensingInitFor(config, period),
      holds,
    });
    if (this.periods.size >= MAX_PERIODS) {
      // Never the current or previous period, nor one whose changes are not written yet (it would reload stale).
      const current = periodOf(this.hooks.now(), config.tenant.timeZone);
      const keep = new Set([current, previousPeriod(current)]);
      const oldest = [...this.periods.keys()].filter((p) => !keep.has(p) && !this.hooks.unwritten(p)).sort()[0];
      if (oldest !== undefined) this.periods.delete(oldest);
    }
    await this.hooks.periodLoaded(period);
    const loaded = { state, usage, rollups };
    this.periods.set(period, loaded);
    if (changed !== null) {
      this.replay.delete(period);
      this.hooks.replayed(loaded, changed);
    }
    return loaded;
  }

  loadedPeriods(): TenantPeriodState[] {
    return [...this.periods.values()].map((p) => p.state);
  }

  forgetPeriods(): void {
    this.periods.clear();
  }

  forget(): void {
    this.config = null;
    this.periods.clear();
    this.replay.clear();
    this.seq = 0;
  }
}
