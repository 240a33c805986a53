import type { TenantPeriodState, TrialState } from '@allot/domain';
import type { RollupDoc } from '../storage/collections';
import { journalEventsOf } from '../storage/journal-chunks';
import { UnavailableError } from '../shared/core-error';
import { commitGroup } from './group-commit';
import { loadTenant } from './tenant-loader';
import { ProjectionFlush } from './projection-flush';
import { RecentKeys } from './recent-keys';
import { TaskQueue, type RecordTask } from './task-queue';
import { TenantAlerts } from './tenant-alerts';
import { TenantContext } from './tenant-context';
import { FencedError, NotOwnerError, TenantLease } from './tenant-lease';
import { TenantMemory } from './tenant-memory';
import { addJournal, ledgerTruthUpTo, repairProjections } from './reconcile';
import type { ConsumptionEvent, ProjectionFix, RecordOutcome, TenantActorDeps, TenantConfig, TenantView } from './tenant-types';

/** Recent idempotency keys kept per tenant (answered without a round trip). */
const RECENT_KEYS = 5_000;
/**
 * Projection documents are written at most this often per tenant, not after every group: clients are answered
 * after the commit point, reads come from memory, and a crash in between is repaired from the journal on load.
 */
const PROJECTION_FLUSH_MS = 25;
/**
 * At most this many committed events wait for their copy to the ledger partitions before a new group waits for
 * them (projection-flush.ts, catchUp): it bounds the journal, hence memory and the replay a new owner does.
 */
const COPY_BACKLOG_LIMIT = 10_000;

/**
 * The single writer of one tenant on this replica, while it holds the tenant's lease. Every write (consumption
 * and admin change) goes through its queue, so the in-memory projection stays exact without database locks, and
 * consumption is committed in groups (group-commit.ts). Memory holds the configuration, a few periods'
 * aggregates and bounded caches; a load reads the projections and the journal only (tenant-loader.ts).
 */
export class TenantActor {
  private readonly memory: TenantMemory;
  private readonly lease: TenantLease;
  private readonly projections: ProjectionFlush;
  private readonly recent = new RecentKeys(RECENT_KEYS);
  private readonly alerts: TenantAlerts;
  private readonly queue: TaskQueue;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set after a failed group: the next load deletes the claims it may have left. */
  private claimsToClean = false;
  /** The replica that owns the tenant, as last read (calls go there without reading the lease again). */
  private knownOwner: NotOwnerError | null = null;
  /** Set when the queue got stuck: this actor does nothing any more (the registry made a new one). */
  private poisoned = false;
  /** Called once when this actor is abandoned (set by the registry). */
  onStuck: (() => void) | null = null;
  /** How many times the tenant was loaded (a reload between two steps of one task is noticed by it). */
  private loads = 0;

  constructor(
    readonly tenantId: string,
    private readonly deps: TenantActorDeps,
  ) {
    this.memory = new TenantMemory(tenantId, deps.c, {
      periodLoaded: (period) => this.alerts.periodLoaded(period),
      replayed: (loaded, changed) => {
        const period = loaded.state.period;
        for (const env of changed.usageEnvs) this.projections.markUsage(period, env, loaded);
        for (const id of changed.rollupIds) this.projections.markRollup(id, period, loaded);
        for (const { env, source } of changed.sources) this.projections.markSource(period, env, source, loaded);
        this.scheduleFlush();
      },
      unwritten: (period) => this.projections.hasPending(period),
      now: () => deps.clock.now(),
    });
    this.lease = new TenantLease(tenantId, deps.c, deps.replica, deps.leaseMs);
    this.projections = new ProjectionFlush(tenantId, deps.c, this.memory, this.lease, deps.logger);
    this.alerts = new TenantAlerts(tenantId, deps, this.memory, () => this.exclusive(async () => undefined));
    this.queue = new TaskQueue(
      {
        group: (tasks) => this.runGroup(tasks),
        beforeExclusive: () => this.writeProjections(),
        flush: () => this.writeProjections(),
        after: () => this.alerts.flushPending(),
        stuck: () => {
          // Abandoned: whatever the stuck command does later touches only this actor, and its writes are fenced
          // off by the lease token the replacement takes.
          this.poisoned = true;
          if (this.flushTimer !== null) clearTimeout(this.flushTimer);
          this.flushTimer = null;
          deps.logger.warn('tenant queue stuck on the database; the tenant is reloaded by a new actor', { tenant: tenantId });
          this.onStuck?.();
        },
      },
      deps.commitDelayMs,
    );
  }

  /** Nothing queued or running and nothing loaded (an unknown tenant, or one dropped after its lease was lost). */
  get forgettable(): boolean {
    return this.queue.idle && this.memory.config === null;
  }

  /** True while this replica owns the tenant (its lease is valid): only then may memory answer reads. */
  get owned(): boolean {
    return !this.poisoned && this.memory.config !== null && this.lease.held();
  }

  /** The state of the period nowMs falls in, if already in memory and still owned (no database round trip). */
  viewAt(nowMs: number, period?: string): TenantView | null {
    return this.owned ? this.memory.viewAt(nowMs, period) : null;
  }

  /** Records events in order; resolves after their commit. */
  record(events: readonly ConsumptionEvent[]): Promise<RecordOutcome[]> {
    return this.queue.record(events);
  }

  /** Runs fn alone in the tenant's queue, after loading the tenant (NOT_FOUND if it does not exist). */
  exclusive<T>(fn: (ctx: TenantContext) => Promise<T>): Promise<T> {
    return this.queue.exclusive(async () => fn(await this.context()));
  }

  /** Loaded and holding its lease (the registry renews such leases together). */
  get renewable(): boolean {
    return !this.poisoned && this.memory.config !== null && this.lease.token > 0;
  }

  leaseRenewed(expiresAtMs: number): void {
    this.lease.renewedUntil(expiresAtMs);
  }

  /**
   * Keeps the lease of a loaded tenant. A lost lease is only noted here (the lease forgets its token): memory is
   * dropped inside the queue, by the next task, never under a group being committed.
   */
  async renewLease(): Promise<void> {
    if (this.poisoned || this.memory.config === null || this.lease.token === 0) return;
    await this.lease.renew().catch(() => false);
  }

  /** Finishes queued work (until deadlineMs), writes the projections and gives the lease up. */
  async drain(deadlineMs: number): Promise<void> {
    if (!(await this.queue.drain(deadlineMs))) this.queue.failWaiting(new UnavailableError('the core is shutting down; retry'));
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    // Projections left unwritten (the database is away) are replayed from the journal by the next owner.
    const written = await beforeDeadline(
      this.writeProjections().then(
        () => this.projections.settle().then(() => true),
        () => false,
      ),
      deadlineMs,
      false,
    );
    if (written && this.memory.config !== null && this.lease.token > 0) await beforeDeadline(this.lease.release().catch(() => undefined), deadlineMs, undefined);
  }

  /** Forget everything in memory; the next task reloads from the database (projections + journal). */
  invalidate(): void {
    this.memory.forget();
    this.projections.clear();
    this.recent.clear();
    this.lease.forget();
  }

  private async context(): Promise<TenantContext> {
    const config = await this.ensureLoaded();
    return new TenantContext(
      {
        tenantId: this.tenantId,
        periodState: async (cfg, period) => (await this.memory.period(cfg, period)).state,
        rollupsOf: (period) => [...(this.memory.periods.get(period)?.rollups.values() ?? [])],
        loadedPeriods: () => this.memory.loadedPeriods(),
        raiseAlerts: (cfg, periods) => this.alerts.raise(cfg, [], periods),
        seq: this.memory.seq,
      },
      config,
      this.deps,
    );
  }

  private async ensureLoaded(): Promise<TenantConfig> {
    if (this.memory.config !== null) {
      if (this.lease.held()) return this.memory.config;
      // Idle for a while: renew before acting; a lost lease means another replica may have written since.
      if (await this.lease.renew()) return this.memory.config;
      this.invalidate();
    }
    if (this.knownOwner !== null && Date.now() < this.knownOwner.untilMs) throw this.knownOwner;
    this.knownOwner = null;
    const cleanClaims = this.claimsToClean;
    let loaded: Awaited<ReturnType<typeof loadTenant>>;
    try {
      loaded = await loadTenant(this.deps, this.memory, this.lease, this.projections, this.recent, cleanClaims);
    } catch (e) {
      if (e instanceof NotOwnerError) this.knownOwner = e;
      // A lease taken but a load that failed: give it back, so no replica waits for it to expire.
      else if (this.lease.token > 0) await this.lease.release().catch(() => undefined);
      throw e;
    }
    const { config, replayPeriods } = loaded;
    this.claimsToClean = false;
    this.loads += 1;
    this.memory.config = config;
    // Periods with journal events are loaded now, so their projections are written and the journal emptied.
    for (const period of replayPeriods) await this.memory.period(config, period);
    this.scheduleFlush();
    return config;
  }

  private async runGroup(tasks: readonly RecordTask[]): Promise<void> {
    const config = await this.ensureLoaded();
    await this.projections.catchUp(COPY_BACKLOG_LIMIT);
    const events = tasks.flatMap((t) => t.events);
    let result: Awaited<ReturnType<typeof commitGroup>>;
    try {
      result = await commitGroup(this.deps, this.memory, this.lease, this.projections, this.recent, config, events);
    } catch (e) {
      // Whether the commit landed is unknown (or another replica owns the tenant now): reload before going on.
      this.deps.logger.warn('group commit failed; tenant will be reloaded', { tenant: this.tenantId, error: (e as Error).message });
      this.invalidate();
      this.claimsToClean = !(e instanceof FencedError);
      throw e instanceof UnavailableError ? e : new UnavailableError(`ledger write failed, retry: ${(e as Error).message}`);
    }
    let at = 0;
    for (const t of tasks) {
      t.resolve(result.outcomes.slice(at, at + t.events.length));
      at += t.events.length;
    }
    if (result.committed === null) return;
    this.scheduleFlush();
    await this.raiseAlerts(config, result.committed.exhaustedTrials, result.committed.periods);
  }

  private raiseAlerts(config: TenantConfig, trials: readonly TrialState[], periods: readonly string[]): Promise<number> {
    return this.alerts.raise(config, trials, periods);
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== null || this.poisoned) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.queue.flush();
    }, PROJECTION_FLUSH_MS);
  }

  private async writeProjections(): Promise<void> {
    if (this.poisoned) return;
    try {
      await this.projections.flush();
    } catch (e) {
      if (e instanceof FencedError) {
        this.invalidate();
        return;
      }
      // Still pending: tried again shortly (and before the next exclusive task).
      setTimeout(() => this.scheduleFlush(), 500).unref();
      throw e;
    }
  }

  /**
   * Reconcile: a full pass over the tenant's ledger partitions, in pages and outside the queue (writes go on),
   * then, in the queue, compared with the projections once the events committed meanwhile are added from the
   * journal (kept for the pass). Differences are repaired and reported.
   */
  async reconcile(): Promise<{ fixes: ProjectionFix[]; ledgerEvents: number }> {
    const start = await this.exclusive(async () => {
      // Every event up to here is in the projections (flushed before this task) and, once settled, copied.
      await this.projections.settle();
      if (!this.projections.allCopied) throw new UnavailableError(`tenant ${this.tenantId}: ledger copies pending, Reconcile later`);
      this.projections.holdJournalAbove = this.memory.seq;
      return { seq: this.memory.seq, loads: this.loads };
    });
    try {
      const truth = await ledgerTruthUpTo(this.deps.c, this.tenantId, start.seq);
      return await this.exclusive(async (ctx) => {
        // Reloaded meanwhile (the lease moved): the journal may have been emptied under the pass.
        if (this.loads !== start.loads) throw new UnavailableError(`tenant ${this.tenantId} changed owner during Reconcile; retry`);
        addJournal(truth, journalEventsOf(await this.deps.c.journal.find({ tenantId: this.tenantId }).toArray()), start.seq, this.memory.seq);
        const periods = new Set([...truth.rollups.keys(), ...this.memory.periods.keys()]);
        const fixes = await repairProjections(this.deps.c, this.tenantId, ctx.config, truth, periods, this.memory.seq);
        // Periods reload from the repaired documents.
        this.memory.forgetPeriods();
        return { fixes, ledgerEvents: truth.count };
      });
    } finally {
      this.projections.holdJournalAbove = null;
    }
  }

  /** For the context and tests: rollups of a loaded period. */
  rollupsOf(period: string): RollupDoc[] {
    return [...(this.memory.periods.get(period)?.rollups.values() ?? [])];
  }

  loadedPeriods(): TenantPeriodState[] {
    return this.memory.loadedPeriods();
  }
}

/** The promise's value, or `otherwise` once deadlineMs (wall clock) has passed. */
function beforeDeadline<T>(p: Promise<T>, deadlineMs: number, otherwise: T): Promise<T> {
  return new Promise<T>((resolve) => {
    const timer = setTimeout(() => resolve(otherwise), Math.max(0, deadlineMs - Date.now()));
    timer.unref();
    p.then((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}
