import type { EnvironmentUsage, SourceUsage, TrialState } from '@allot/domain';
import type { RollupDoc } from '../storage/collections';

/** What a group may change in memory: usage by environment, rollups by id, and trials (shared by periods). */
export interface MutableTenantMemory {
  /** Usage by environment of a loaded period (periods may load while the group is planned). */
  usageOf(period: string): Map<string, EnvironmentUsage> | undefined;
  rollupsOf(period: string): Map<string, RollupDoc> | undefined;
  readonly trials: Map<string, TrialState>;
}

/**
 * Remembers the values a group is about to change, so a group whose write failed (or was fenced off) leaves memory
 * exactly as the database has it: restore() undoes every change recorded since the checkpoint was taken.
 */
export class MemoryCheckpoint {
  private readonly usage = new Map<string, Map<string, EnvironmentUsage | null>>();
  private readonly rollups = new Map<string, Map<string, RollupDoc | null>>();
  /** period -> env -> source -> usage before (null: none). */
  private readonly sources = new Map<string, Map<string, Map<string, SourceUsage | null>>>();
  private readonly trials = new Map<string, TrialState>();

  constructor(private readonly memory: MutableTenantMemory) {}

  /** Call before changing the usage of env in period. */
  usageOf(period: string, env: string): void {
    let byEnv = this.usage.get(period);
    if (byEnv === undefined) {
      byEnv = new Map();
      this.usage.set(period, byEnv);
    }
    if (byEnv.has(env)) return;
    const current = this.memory.usageOf(period)?.get(env);
    // The counts and Copilot draws are copied; the sources map is kept (its entries are saved one by one by sourceOf,
    // so a group never copies every source of an environment).
    byEnv.set(env, current === undefined ? null : { ...current, ...(current.copilot === undefined ? {} : { copilot: { ...current.copilot } }) });
  }

  /** Call before changing what source drew in env in period (after usageOf for that env). */
  sourceOf(period: string, env: string, source: string): void {
    let byEnv = this.sources.get(period);
    if (byEnv === undefined) {
      byEnv = new Map();
      this.sources.set(period, byEnv);
    }
    let bySource = byEnv.get(env);
    if (bySource === undefined) {
      bySource = new Map();
      byEnv.set(env, bySource);
    }
    if (bySource.has(source)) return;
    const current = this.memory.usageOf(period)?.get(env)?.sources?.get(source);
    bySource.set(source, current === undefined ? null : { ...current });
  }

  /** Call before changing (or creating) a rollup of period. */
  rollupOf(period: string, id: string): void {
    let byId = this.rollups.get(period);
    if (byId === undefined) {
      byId = new Map();
      this.rollups.set(period, byId);
    }
    if (byId.has(id)) return;
    const current = this.memory.rollupsOf(period)?.get(id);
    byId.set(id, current === undefined ? null : { ...current });
  }

  /** Call before a trial draw of userId. */
  trialOf(userId: string): void {
    const current = this.memory.trials.get(userId);
    if (current !== undefined && !this.trials.has(userId)) this.trials.set(userId, { ...current });
  }

  restore(): void {
    for (const [period, byEnv] of this.usage) {
      const usage = this.memory.usageOf(period);
      if (usage === undefined) continue;
      for (const [env, before] of byEnv) {
        if (before === null) usage.delete(env);
        else usage.set(env, before);
      }
    }
    // After the usage objects: an environment that had no usage before is gone with its sources.
    for (const [period, byEnv] of this.sources) {
      for (const [env, bySource] of byEnv) {
        const sources = this.memory.usageOf(period)?.get(env)?.sources;
        if (sources === undefined) continue;
        for (const [source, before] of bySource) {
          if (before === null) sources.delete(source);
          else sources.set(source, before);
        }
      }
    }
    for (const [period, byId] of this.rollups) {
      const rollups = this.memory.rollupsOf(period);
      if (rollups === undefined) continue;
      for (const [id, before] of byId) {
        if (before === null) rollups.delete(id);
        // In place: the period state and readers hold these very documents.
        else Object.assign(rollups.get(id) ?? {}, before);
      }
    }
    // In place as well: the trials map is shared with every period state.
    for (const [user, before] of this.trials) Object.assign(this.memory.trials.get(user) ?? {}, before);
  }
}
