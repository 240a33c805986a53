import type { AnyBulkWriteOperation } from 'mongodb';
import type { Logger } from '../logger';
import { duplicateKeyIndexes, ensureLedgerIndexes, type Collections, type LedgerDoc, type RollupDoc, type SourceUsageDoc, type TrialDoc, type UsageDoc } from '../storage/collections';
import { sourceUsageIdOf, trialIdOf, usageIdOf, usageToFields } from '../storage/mappers';
import { chunkedBulkWrite } from '../storage/chunked-bulk-write';
import type { LoadedPeriod, TenantMemory } from './tenant-memory';
import { FencedError, type TenantLease } from './tenant-lease';
import { UnavailableError } from '../shared/core-error';

/** Ledger partitions whose indexes this process created already. */
const indexedPartitions = new Set<string>();

/**
 * The deferred projection write. Clients are answered once a group is committed (journal + commit point); what it
 * changed is remembered here and written at most every few ms, off the path of the next group:
 *   1. usage, rollup, source usage and trial documents are set to absolute values from memory, with the seq they reflect;
 *   2. the high-water mark (projectedSeq) is raised under the lease;
 *   3. outside the queue, the committed events are copied from the journal into their period's ledger partition
 *      (idempotent), and the journal events both projected and copied are deleted.
 * A crash anywhere in between leaves the journal holding every event above the mark (and every one not copied):
 * the next load replays and copies them again.
 */
export class ProjectionFlush {
  private readonly usage = new Map<string, { period: string; env: string; loaded: LoadedPeriod }>();
  private readonly rollups = new Map<string, { period: string; loaded: LoadedPeriod }>();
  /** source usage id -> what to write. */
  private readonly sources = new Map<string, { period: string; env: string; source: string; loaded: LoadedPeriod }>();
  private readonly trials = new Set<string>();
  /** Committed events not copied to their ledger partition yet. */
  private committed: LedgerDoc[] = [];
  /** Journal events above this seq are kept (a Reconcile pass is reading up to it); null: none running. */
  holdJournalAbove: number | null = null;
  /** The last journal trim (trims run one after the other, outside the queue). */
  private trimming: Promise<unknown> = Promise.resolve();
  /** The last copy to the ledger partitions, and the events it is copying. */
  private copying: Promise<unknown> = Promise.resolve();
  private copyingDocs: LedgerDoc[][] = [];
  /** The high-water mark this flush last wrote, and how far the journal was trimmed. */
  private projectedSeq = 0;
  private trimmedTo = 0;

  constructor(
    private readonly tenantId: string,
    private readonly c: Collections,
    private readonly memory: TenantMemory,
    private readonly lease: TenantLease,
    private readonly logger: Logger,
  ) {}

  get pending(): boolean {
    return this.usage.size > 0 || this.rollups.size > 0 || this.sources.size > 0 || this.trials.size > 0 || this.committed.length > 0;
  }

  /** True while changes of the period are not written yet. */
  hasPending(period: string): boolean {
    for (const u of this.usage.values()) if (u.period === period) return true;
    for (const r of this.rollups.values()) if (r.period === period) return true;
    for (const x of this.sources.values()) if (x.period === period) return true;
    return this.committed.some((d) => d.period === period);
  }

  markUsage(period: string, env: string, loaded: LoadedPeriod): void {
    this.usage.set(`${period}|${env}`, { period, env, loaded });
  }

  markRollup(id: string, period: string, loaded: LoadedPeriod): void {
    this.rollups.set(id, { period, loaded });
  }

  markSource(period: string, env: string, source: string, loaded: LoadedPeriod): void {
    this.sources.set(sourceUsageIdOf(this.tenantId, period, env, source), { period, env, source, loaded });
  }

  markTrial(userId: string): void {
    this.trials.add(userId);
  }

  addCommitted(docs: readonly LedgerDoc[]): void {
    for (const d of docs) this.committed.push(d);
  }

  /** Drops what is pending (memory was forgotten: the next load replays the journal instead). */
  clear(): void {
    this.usage.clear();
    this.rollups.clear();
    this.sources.clear();
    this.trials.clear();
    this.committed = [];
    this.projectedSeq = 0;
    this.trimmedTo = 0;
  }

  /** Writes everything pending; on failure what was not written stays pending and the error is thrown. */
  async flush(): Promise<void> {
    const config = this.memory.config;
    if (config === null || !this.pending) return;
    const t = this.tenantId;
    const seq = this.memory.seq;
    this.startCopy();
    const usage = [...this.usage.values()];
    const rollups = [...this.rollups];
    const sources = [...this.sources];
    const trials = [...this.trials];
    this.usage.clear();
    this.rollups.clear();
    this.sources.clear();
    this.trials.clear();
    try {
      // Never over a newer owner's write: a document with a higher seq is left alone (the upsert then fails on its
      // _id, which tells this replica it lost the tenant).
      const usageOps: AnyBulkWriteOperation<UsageDoc>[] = usage.map(({ period, env, loaded }) => {
        const u = usageToFields(loaded.state.usageOf(env));
        return { updateOne: { filter: { _id: usageIdOf(t, period, env), seq: { $lte: seq } }, update: { $set: { tenantId: t, period, environmentId: env, ...u, seq } }, upsert: true } };
      });
      const rollupOps: AnyBulkWriteOperation<RollupDoc>[] = [];
      for (const [id, { loaded }] of rollups) {
        const r = loaded.rollups.get(id);
        if (r === undefined) continue;
        r.seq = seq;
        const { _id, ...fields } = r;
        rollupOps.push({ updateOne: { filter: { _id, seq: { $lte: seq } }, update: { $set: fields }, upsert: true } });
      }
      const sourceOps: AnyBulkWriteOperation<SourceUsageDoc>[] = [];
      for (const [_id, { period, env, source, loaded }] of sources) {
        const su = loaded.state.usageOf(env).sources?.get(source);
        if (su === undefined) continue;
        const fields = { tenantId: t, period, environmentId: env, source, credits: su.credits, copilot: su.copilot, seq };
        sourceOps.push({ updateOne: { filter: { _id, seq: { $lte: seq } }, update: { $set: fields }, upsert: true } });
      }
      const trialOps: AnyBulkWriteOperation<TrialDoc>[] = [];
      for (const user of trials) {
        const trial = config.trials.get(user);
        if (trial === undefined) continue;
        trialOps.push({
          updateOne: { filter: { _id: trialIdOf(t, user), $or: [{ seq: { $lte: seq } }, { seq: { $exists: false } }] }, update: { $set: { consumed: trial.consumed, status: trial.status, seq } } },
        });
      }
      // Absolute values from memory (this replica is the only writer): a repeated or reordered write stays exact.
      try {
        await chunkedBulkWrite(this.c.usage, usageOps);
        await chunkedBulkWrite(this.c.rollups, rollupOps);
        await chunkedBulkWrite(this.c.sourceUsage, sourceOps);
        await chunkedBulkWrite(this.c.trials, trialOps);
      } catch (e) {
        if (duplicateKeyIndexes(e) !== null) throw new FencedError(`tenant ${t}: projections written by a newer owner`);
        throw e;
      }
      await this.lease.setProjected(seq);
      config.tenant = { ...config.tenant, projectedSeq: seq };
      this.projectedSeq = seq;
      this.trim();
    } catch (e) {
      // Put back what was not known to be written; the lease check or the next flush tries again.
      for (const u of usage) if (!this.usage.has(`${u.period}|${u.env}`)) this.usage.set(`${u.period}|${u.env}`, u);
      for (const [id, r] of rollups) if (!this.rollups.has(id)) this.rollups.set(id, r);
      for (const [id, x] of sources) if (!this.sources.has(id)) this.sources.set(id, x);
      for (const user of trials) this.trials.add(user);
      this.logger.warn('projection write failed; will retry', { tenant: t, error: (e as Error).message });
      throw e;
    }
  }

  /** Committed events not yet in their ledger partition (each of them is also still in the journal). */
  get copyBacklog(): number {
    return this.committed.length + this.copyingDocs.reduce((n, docs) => n + docs.length, 0);
  }

  /**
   * Backpressure: resolves once at most `limit` committed events wait for their copy to the ledger partitions,
   * starting the copies itself. Without it a tenant written faster than its partition takes inserts piles up
   * events in the journal and in memory (seen: 190,000 after a 1,000,000-event load), which the next owner must
   * replay before it answers. Throws UnavailableError when a copy fails while the backlog is over the limit.
   */
  async catchUp(limit: number): Promise<void> {
    while (this.copyBacklog > limit) {
      this.startCopy();
      const before = this.copyBacklog;
      await this.copying;
      if (this.copyBacklog >= before) throw new UnavailableError(`tenant ${this.tenantId}: ${before} events wait for their copy to the ledger; retry`);
    }
  }

  /** True when every committed event is in its ledger partition. */
  get allCopied(): boolean {
    return this.committed.length === 0 && this.copyingDocs.length === 0;
  }

  /** Resolves when the copies to the ledger partitions and journal trims started so far are done. */
  async settle(): Promise<void> {
    await this.copying;
    await this.trimming;
  }

  /**
   * Copies the committed events to their partitions off the queue's path (one copy at a time). The journal keeps
   * every event until it is both in the projections and copied.
   */
  private startCopy(): void {
    if (this.committed.length === 0) return;
    const docs = this.committed;
    this.committed = [];
    this.copyingDocs.push(docs);
    this.copying = this.copying
      .then(() => this.copyToPartitions(docs))
      .then(
        () => {
          this.copyingDocs = this.copyingDocs.filter((d) => d !== docs);
          this.trim();
        },
        (e: Error) => {
          this.copyingDocs = this.copyingDocs.filter((d) => d !== docs);
          this.committed = [...docs, ...this.committed];
          this.logger.warn('ledger partition copy failed; will retry', { tenant: this.tenantId, error: e.message });
        },
      );
  }

  /** Deletes the journal events that are in the projections and copied (and not held by a Reconcile pass). */
  private trim(): void {
    let bound = Math.min(this.projectedSeq, this.holdJournalAbove ?? Infinity);
    for (const d of [...this.committed, ...this.copyingDocs.flat()]) bound = Math.min(bound, d.seq - 1);
    if (bound <= this.trimmedTo) return;
    this.trimmedTo = bound;
    const t = this.tenantId;
    this.trimming = this.trimming
      .then(() => this.c.journal.deleteMany({ tenantId: t, seq: { $lte: bound } }))
      .catch((e: Error) => {
        this.trimmedTo = 0;
        this.logger.warn('journal trim failed; the next flush trims it', { tenant: t, error: e.message });
      });
  }

  /** Inserts committed events into their ledger partitions; an event already there (a repeated copy) is skipped. */
  private async copyToPartitions(docs: readonly LedgerDoc[]): Promise<void> {
    const byPeriod = new Map<string, LedgerDoc[]>();
    for (const d of docs) byPeriod.set(d.period, [...(byPeriod.get(d.period) ?? []), d]);
    for (const [period, list] of byPeriod) {
      if (!indexedPartitions.has(period)) {
        await ensureLedgerIndexes(this.c, period);
        indexedPartitions.add(period);
      }
      try {
        await this.c.ledger(period).insertMany(list, { ordered: false });
      } catch (e) {
        if (duplicateKeyIndexes(e) === null) throw e;
      }
    }
  }
}
