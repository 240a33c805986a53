import { createHash } from 'node:crypto';
import {
  DEFAULT_LICENSE_CATALOG,
  TenantPeriodState,
  capacityOf,
  domainError,
  localDateOf,
  periodForEvent,
  periodOf,
  sumDraws,
  type DomainError,
  type Draw,
  type EnvironmentUsage,
  type Operation,
  type Stage,
  type TrialState,
} from '@allot/domain';
import type { AnyBulkWriteOperation } from 'mongodb';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { AlertOutbox } from '../alerts/alert-outbox';
import { ROLLUPS_VERSION, type Collections, type EntitlementDoc, type EnvironmentDoc, type LedgerDoc, type RollupDoc, type TenantDoc, type TrialDoc, type UsageDoc } from '../storage/collections';
import { CoreError, UnavailableError } from '../shared/core-error';
import { chunkedBulkWrite } from '../storage/chunked-bulk-write';
import { LEDGER_TRUTH_FIELDS, LedgerTruth, addToRollup, rollupIdOf, usageIdOf, type LedgerTruthRow } from './ledger-truth';

/** A consumption event that passed request validation (field checks happen before it reaches the queue). */
export interface ConsumptionEvent {
  readonly environmentId: string;
  readonly userId: string;
  readonly idempotencyKey: string;
  readonly occurredAtMs: number;
  readonly operation: Operation;
  /** Priced already (rate card) and 0 for free operations. */
  readonly credits: number;
  readonly capability: string;
  readonly quantity: number;
  readonly sourceId: string;
  /** Hash of the request content, to tell a retry from a reused key. */
  readonly fingerprint: string;
}

export interface RecordedEvent {
  readonly eventId: string;
  readonly period: string;
  readonly credits: number;
  readonly draws: readonly Draw[];
  readonly duplicate: boolean;
  readonly stage: Stage;
}

/** A loaded period as the read paths see it: configuration, live state, and its rollups. */
export interface TenantView {
  readonly config: TenantConfig;
  readonly state: TenantPeriodState;
  /** Live documents: read them synchronously, do not keep them. */
  readonly rollups: Iterable<RollupDoc>;
}

export type RecordOutcome = { ok: true; value: RecordedEvent } | { ok: false; error: DomainError };

/** One repaired difference between a projection and the ledger. */
export interface ProjectionFix {
  readonly projection: string;
  readonly key: string;
  readonly before: number;
  readonly after: number;
}

/** The tenant's configuration and trials as held in memory by its actor. */
export interface TenantConfig {
  tenant: TenantDoc;
  readonly envs: Map<string, EnvironmentDoc>;
  entitlements: EntitlementDoc[];
  /** user id -> trial; shared by every period state of the tenant. */
  readonly trials: Map<string, TrialState>;
}

export interface TenantActorDeps {
  readonly c: Collections;
  readonly clock: Clock;
  readonly outbox: AlertOutbox;
  readonly logger: Logger;
  /** Longest time a write waits to be grouped with others. */
  readonly commitDelayMs: number;
}

/** Hash of an event's content: a retry must match it exactly. */
export function fingerprintOf(e: Omit<ConsumptionEvent, 'fingerprint'>): string {
  const content = [e.environmentId, e.userId, e.occurredAtMs, e.operation, e.credits, e.capability, e.quantity, e.sourceId];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 32);
}

const ledgerIdOf = (tenantId: string, key: string): string => `${tenantId}|${key}`;
const trialIdOf = (tenantId: string, userId: string): string => `${tenantId}|${userId}`;

export const trialFromDoc = (d: TrialDoc): TrialState => ({
  userId: d.userId,
  credits: d.credits,
  consumed: d.consumed,
  startedAtMs: d.startedAt.getTime(),
  expiresAtMs: d.expiresAt.getTime(),
  extensions: d.extensions,
  status: d.status,
});

export const trialToDoc = (tenantId: string, t: TrialState): TrialDoc => ({
  _id: trialIdOf(tenantId, t.userId),
  tenantId,
  userId: t.userId,
  credits: t.credits,
  consumed: t.consumed,
  startedAt: new Date(t.startedAtMs),
  expiresAt: new Date(t.expiresAtMs),
  extensions: t.extensions,
  status: t.status,
});

const resultOf = (doc: LedgerDoc, duplicate: boolean): RecordedEvent => ({
  eventId: doc._id,
  period: doc.period,
  credits: doc.credits,
  draws: doc.draws,
  duplicate,
  stage: doc.stage,
});

type Task =
  | { kind: 'record'; events: readonly ConsumptionEvent[]; resolve: (r: RecordOutcome[]) => void; reject: (e: unknown) => void }
  | { kind: 'exclusive'; run: () => Promise<unknown>; resolve: (r: unknown) => void; reject: (e: unknown) => void }
  | { kind: 'flush' };

const MAX_GROUP_EVENTS = 5_000;
/**
 * Projection documents are written at most this often per tenant, not after every group: clients are answered
 * after the ledger write, reads come from memory, and a crash in between is repaired from the ledger on load.
 * Deferring them takes the projection writes off the path of the next group.
 */
const PROJECTION_FLUSH_MS = 25;

/**
 * The single writer of one tenant. Every write (consumption and admin change) goes through its queue, so the
 * in-memory projection (TenantPeriodState per period) stays exact without database locks, and consumption is
 * committed in groups: one ledger lookup, one insertMany, then projection documents set to absolute values.
 *
 * Exactly once: the ledger insert is the commit point (a client is answered only after it). Projections are
 * written after it and the tenant's projectedSeq last; if the process dies in between, the next load sees
 * ledger seq > projectedSeq and rebuilds the affected projections from the ledger.
 */
export class TenantActor {
  private config: TenantConfig | null = null;
  private readonly periods = new Map<string, TenantPeriodState>();
  /** Rollups of each loaded period (period -> rollup id -> document), kept exact like the period states. */
  private readonly rollups = new Map<string, Map<string, RollupDoc>>();
  /**
   * Last stage alerted per period|environment (absent: NORMAL). Set only once the alert is stored, and derived
   * from the outbox when a period loads, so a crash or a failed raise never makes a stage change forgotten.
   */
  private readonly alertedStages = new Map<string, Stage>();
  /** Periods whose stages may differ from the last alerted ones: checked after the current task. */
  private readonly alertPeriods = new Set<string>();
  /** Trial-exhausted alerts not stored yet (user|term -> trial). */
  private readonly trialAlerts = new Map<string, TrialState>();
  /** Delay of the next retry after a failed raise (0: none scheduled). */
  private alertRetryMs = 0;
  private seq = 0;
  /**
   * Every idempotency key of this tenant's ledger (ledger id -> content fingerprint), loaded with the tenant.
   * This actor is the tenant's only writer, so a key missing here is new: no ledger lookup per group. (FerretDB
   * answers `_id: {$in: ...}` with a full scan, which made each group slower as the ledger grew.)
   */
  private keys = new Map<string, string>();
  private readonly queue: Task[] = [];
  private running = false;

  constructor(
    readonly tenantId: string,
    private readonly deps: TenantActorDeps,
  ) {}

  /** Synchronous view for reads on the hot path; null until loaded (then use `exclusive` once to load). */
  loadedView(period: string): TenantView | null {
    const state = this.periods.get(period);
    const rollups = this.rollups.get(period);
    return this.config === null || state === undefined || rollups === undefined ? null : { config: this.config, state, rollups: rollups.values() };
  }

  /** The state of the period nowMs falls in, if already in memory (the hot path: no database round trip). */
  viewAt(nowMs: number, period?: string): TenantView | null {
    if (this.config === null) return null;
    return this.loadedView(period ?? periodOf(nowMs, this.config.tenant.timeZone));
  }

  /** Records events in order; resolves after their ledger write. */
  record(events: readonly ConsumptionEvent[]): Promise<RecordOutcome[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: 'record', events, resolve, reject });
      this.kick();
    });
  }

  /** Runs fn alone in the tenant's queue, after loading the tenant (NOT_FOUND if it does not exist). */
  exclusive<T>(fn: (ctx: TenantContext) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        kind: 'exclusive',
        run: async () => fn(await this.context()),
        resolve: resolve as (r: unknown) => void,
        reject,
      });
      this.kick();
    });
  }

  /** Resolves when everything queued so far is done (graceful shutdown). */
  async drain(): Promise<void> {
    const idle = async (): Promise<void> => {
      while (this.running || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    };
    await idle();
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.queue.push({ kind: 'flush' });
    this.kick();
    await idle();
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    const delay = this.deps.commitDelayMs;
    // With no delay, the loop starts on the next turn; requests arriving while a group is being written still
    // form the next group, so grouping needs no waiting.
    if (delay === 0) setImmediate(() => void this.loop());
    else setTimeout(() => void this.loop(), delay);
  }

  private async loop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0];
        if (head === undefined) break;
        if (head.kind === 'flush') {
          this.queue.shift();
          await this.flushProjections();
          continue;
        }
        if (head.kind === 'exclusive') {
          this.queue.shift();
          // Admin work, reports and Reconcile see projections up to date in the database.
          await this.flushProjections();
          try {
            head.resolve(await head.run());
          } catch (e) {
            head.reject(e);
          }
          await this.flushPendingAlerts();
          continue;
        }
        const group: Array<Extract<Task, { kind: 'record' }>> = [];
        let count = 0;
        while (this.queue[0]?.kind === 'record' && count < MAX_GROUP_EVENTS) {
          const t = this.queue.shift() as Extract<Task, { kind: 'record' }>;
          group.push(t);
          count += t.events.length;
        }
        await this.commitGroup(group);
        await this.flushPendingAlerts();
      }
    } finally {
      this.running = false;
      if (this.queue.length > 0) this.kick();
    }
  }

  private async context(): Promise<TenantContext> {
    const config = await this.ensureLoaded();
    return new TenantContext(this, config, this.deps);
  }

  // ---------------------------------------------------------------- loading and repair

  private async ensureLoaded(): Promise<TenantConfig> {
    if (this.config !== null) return this.config;
    const { c } = this.deps;
    const tenant = await c.tenants.findOne({ _id: this.tenantId });
    if (tenant === null) {
      throw new CoreError(domainError('NOT_FOUND', 'TENANT.NOT_FOUND', `tenant ${this.tenantId} does not exist`, 'tenant_id'));
    }
    // A tenant whose rollups were never built rebuilds every period once.
    const rollupsBuilt = tenant.rollupsVersion === ROLLUPS_VERSION;
    const sinceSeq = rollupsBuilt ? (tenant.projectedSeq ?? 0) : 0;
    // Seqs are contiguous, so the next one tells whether projections lag (an equality FerretDB pushes down).
    const lagging =
      !rollupsBuilt || (await c.ledger.findOne({ tenantId: this.tenantId, seq: sinceSeq + 1 }, { projection: { _id: 1 } })) !== null;
    const [envs, entitlements, trials, firstScan] = await Promise.all([
      c.environments.find({ tenantId: this.tenantId }).toArray(),
      c.entitlements.find({ tenantId: this.tenantId }).toArray(),
      c.trials.find({ tenantId: this.tenantId }).toArray(),
      this.scanLedger(lagging ? sinceSeq : null),
    ]);
    // A lag the next seq did not show (a gap) still gets its truth, from a second pass.
    const scan = firstScan.truth === null && firstScan.maxSeq > sinceSeq ? await this.scanLedger(sinceSeq) : firstScan;
    this.keys = scan.keys;
    const config: TenantConfig = {
      tenant,
      envs: new Map(envs.map((e) => [e.environmentId, e])),
      entitlements,
      trials: new Map(trials.map((t) => [t.userId, trialFromDoc(t)])),
    };
    this.seq = scan.maxSeq;
    this.forgetPeriods();
    if (scan.truth !== null && (this.seq > sinceSeq || !rollupsBuilt)) {
      const fixes = await this.repair(config, scan.truth, scan.truth.periodsBehind);
      this.deps.logger.info('projections repaired from the ledger', {
        tenant: this.tenantId,
        fromSeq: tenant.projectedSeq ?? 0,
        toSeq: this.seq,
        fixes: fixes.length,
      });
    }
    this.config = config;
    return config;
  }

  /**
   * One pass over the tenant's ledger: every idempotency key, the highest seq and, when sinceSeq is given, the
   * truth of every projection (the fields are projected by the server; nothing is aggregated).
   */
  private async scanLedger(sinceSeq: number | null): Promise<{ keys: Map<string, string>; maxSeq: number; truth: LedgerTruth | null }> {
    const keys = new Map<string, string>();
    let maxSeq = 0;
    const truth = sinceSeq === null ? null : new LedgerTruth(this.tenantId, sinceSeq);
    const projection = truth === null ? { _id: 1, fingerprint: 1, seq: 1 } : LEDGER_TRUTH_FIELDS;
    const cursor = this.deps.c.ledger.find({ tenantId: this.tenantId }, { projection, batchSize: 2_000 });
    for await (const doc of cursor) {
      const row = doc as LedgerTruthRow;
      keys.set(row._id, row.fingerprint);
      if (row.seq > maxSeq) maxSeq = row.seq;
      truth?.add(row);
    }
    return { keys, maxSeq, truth };
  }

  /** Forget everything in memory; the next task reloads (and repairs) from the database. */
  invalidate(): void {
    this.config = null;
    this.forgetPeriods();
    // What was dirty is dropped with the memory it described; the reload repairs projections from the ledger.
    this.dirtyUsage.clear();
    this.dirtyRollups.clear();
    this.dirtyTrials.clear();
  }

  private readonly dirtyUsage = new Map<string, { period: string; env: string }>();
  private readonly dirtyRollups = new Map<string, string>();
  private readonly dirtyTrials = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  /** Remembers what a group changed and schedules one projection write for everything changed meanwhile. */
  private markDirty(
    usage: ReadonlyArray<{ period: string; env: string }>,
    rollups: ReadonlyMap<string, string>,
    trials: readonly string[],
  ): void {
    for (const u of usage) this.dirtyUsage.set(`${u.period}|${u.env}`, u);
    for (const [id, period] of rollups) this.dirtyRollups.set(id, period);
    for (const user of trials) this.dirtyTrials.add(user);
    if (this.flushTimer !== null) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.queue.push({ kind: 'flush' });
      this.kick();
    }, PROJECTION_FLUSH_MS);
  }

  /**
   * Writes the dirty projections and the ledger high-water mark they reflect. Runs only inside the tenant's
   * serialized loop (or after it drained), so memory holds exactly the committed events up to this.seq.
   */
  private async flushProjections(): Promise<void> {
    if (this.dirtyUsage.size === 0 && this.dirtyRollups.size === 0 && this.dirtyTrials.size === 0) return;
    const config = this.config;
    const usage = [...this.dirtyUsage.values()];
    const rollups = new Map(this.dirtyRollups);
    const trials = [...this.dirtyTrials];
    this.dirtyUsage.clear();
    this.dirtyRollups.clear();
    this.dirtyTrials.clear();
    if (config === null) return;
    try {
      await this.writeProjections(config, usage, rollups, trials);
    } catch (e) {
      this.deps.logger.warn('projection write failed; will repair from the ledger', { tenant: this.tenantId, error: (e as Error).message });
      this.invalidate();
    }
  }

  /** Compares every projection with a full pass over the ledger and repairs the differences (Reconcile). */
  async reconcile(config: TenantConfig): Promise<{ fixes: ProjectionFix[]; ledgerEvents: number }> {
    const truth = new LedgerTruth(this.tenantId, 0);
    const cursor = this.deps.c.ledger.find({ tenantId: this.tenantId }, { projection: LEDGER_TRUTH_FIELDS, batchSize: 2_000 });
    for await (const doc of cursor) truth.add(doc as LedgerTruthRow);
    const fixes = await this.repair(config, truth, truth.periodsBehind);
    return { fixes, ledgerEvents: truth.count };
  }

  /**
   * Rewrites the usage and rollup projections of the given periods and every trial to the ledger truth, writes
   * the differences and the new projectedSeq. Returns what it fixed.
   */
  async repair(config: TenantConfig, truth: LedgerTruth, periods: ReadonlySet<string>): Promise<ProjectionFix[]> {
    const { c } = this.deps;
    const t = this.tenantId;
    const fixes: ProjectionFix[] = [];
    const list = [...periods];
    // One equality query per period (pushed down by FerretDB; an $in would be a full scan).
    const [storedUsage, storedRollups] = await Promise.all([
      Promise.all(list.map((period) => c.usage.find({ tenantId: t, period }).toArray())).then((r) => r.flat()),
      Promise.all(list.map((period) => c.rollups.find({ tenantId: t, period }).toArray())).then((r) => r.flat()),
    ]);

    const usageOps: AnyBulkWriteOperation<UsageDoc>[] = [];
    const total = (u: Pick<UsageDoc, 'allocation' | 'unassigned' | 'trial' | 'overage'>): number =>
      u.allocation + u.unassigned + u.trial + u.overage;
    const usageById = new Map(storedUsage.map((d) => [d._id, d]));
    for (const [id, row] of truth.usage) {
      if (!periods.has(row.period)) continue;
      const before = usageById.get(id);
      usageById.delete(id);
      const same =
        before !== undefined &&
        before.allocation === row.allocation &&
        before.unassigned === row.unassigned &&
        before.trial === row.trial &&
        before.overage === row.overage &&
        before.events === row.events;
      if (same) continue;
      fixes.push({ projection: 'usage', key: `${row.period}/${row.environmentId}`, before: before ? total(before) : 0, after: total(row) });
      const { allocation, unassigned, trial, overage, events } = row;
      usageOps.push({
        updateOne: {
          filter: { _id: id },
          update: { $set: { tenantId: t, period: row.period, environmentId: row.environmentId, allocation, unassigned, trial, overage, events, seq: this.seq } },
          upsert: true,
        },
      });
    }
    for (const d of usageById.values()) {
      fixes.push({ projection: 'usage', key: `${d.period}/${d.environmentId}`, before: total(d), after: 0 });
      usageOps.push({ deleteOne: { filter: { _id: d._id } } });
    }

    const rollupOps: AnyBulkWriteOperation<RollupDoc>[] = [];
    const rollupKey = (r: RollupDoc): string => `${r.period}/${r.localDate}/${r.environmentId}/${r.userId}/${r.capability}`;
    const rollupById = new Map(storedRollups.map((d) => [d._id, d]));
    for (const period of list) {
      for (const [id, row] of truth.rollups.get(period) ?? []) {
        const before = rollupById.get(id);
        rollupById.delete(id);
        const same =
          before !== undefined &&
          before.credits === row.credits &&
          before.events === row.events &&
          before.trialCredits === row.trialCredits &&
          before.overageCredits === row.overageCredits;
        if (same) continue;
        fixes.push({ projection: 'rollup', key: rollupKey(row), before: before?.credits ?? 0, after: row.credits });
        const { _id, ...fields } = row;
        rollupOps.push({ updateOne: { filter: { _id }, update: { $set: { ...fields, seq: this.seq } }, upsert: true } });
      }
    }
    for (const d of rollupById.values()) {
      fixes.push({ projection: 'rollup', key: rollupKey(d), before: d.credits, after: 0 });
      rollupOps.push({ deleteOne: { filter: { _id: d._id } } });
    }
    await chunkedBulkWrite(c.usage, usageOps);
    await chunkedBulkWrite(c.rollups, rollupOps);

    // Trials: the consumption of each user's current term, from the ledger.
    for (const trial of config.trials.values()) {
      const consumed = truth.trials.get(`${trial.userId}|${trial.extensions}`) ?? 0;
      if (consumed === trial.consumed) continue;
      fixes.push({ projection: 'trial', key: trial.userId, before: trial.consumed, after: consumed });
      trial.consumed = consumed;
      trial.status = consumed >= trial.credits ? 'EXHAUSTED' : trial.status === 'EXHAUSTED' ? 'ACTIVE' : trial.status;
      await c.trials.updateOne({ _id: trialIdOf(t, trial.userId) }, { $set: { consumed, status: trial.status } });
    }
    await c.tenants.updateOne({ _id: t }, { $set: { projectedSeq: this.seq, rollupsVersion: ROLLUPS_VERSION } });
    config.tenant = { ...config.tenant, projectedSeq: this.seq, rollupsVersion: ROLLUPS_VERSION };
    this.forgetPeriods();
    return fixes;
  }

  /** The live state of a period (loaded from its usage documents on first use). */
  async periodState(config: TenantConfig, period: string): Promise<TenantPeriodState> {
    const cached = this.periods.get(period);
    if (cached !== undefined) return cached;
    const [docs, rollupDocs] = await Promise.all([
      this.deps.c.usage.find({ tenantId: this.tenantId, period }).toArray(),
      this.deps.c.rollups.find({ tenantId: this.tenantId, period }).toArray(),
    ]);
    const usage = new Map<string, EnvironmentUsage>(
      docs.map((d) => [
        d.environmentId,
        { allocation: d.allocation, unassigned: d.unassigned, trial: d.trial, overage: d.overage, events: d.events },
      ]),
    );
    const state = new TenantPeriodState({
      period,
      settings: { allowUnassigned: config.tenant.allowUnassigned, thresholds: config.tenant.thresholds },
      capacity: capacityOf(config.entitlements, period, DEFAULT_LICENSE_CATALOG),
      allocations: new Map([...config.envs.values()].map((e) => [e.environmentId, e.allocation])),
      poolFallback: new Set([...config.envs.values()].filter((e) => e.tenantPoolFallback).map((e) => e.environmentId)),
      usage,
      trials: config.trials,
    });
    // Memory stays small: a tenant needs the current period and, for late events, the previous one.
    if (this.periods.size >= 6) {
      const oldest = [...this.periods.keys()].sort()[0];
      if (oldest !== undefined) {
        this.periods.delete(oldest);
        this.rollups.delete(oldest);
      }
    }
    // The stages last alerted are the ones the outbox holds: a change whose alert was lost (a crash after the
    // clients were answered, a failed raise) differs from them and is raised after the current task.
    await this.loadAlertedStages(period);
    this.periods.set(period, state);
    this.rollups.set(period, new Map(rollupDocs.map((d) => [d._id, d])));
    this.alertPeriods.add(period);
    return state;
  }

  loadedPeriods(): TenantPeriodState[] {
    return [...this.periods.values()];
  }

  forgetPeriods(): void {
    this.periods.clear();
    this.rollups.clear();
  }

  /** Rollups of a period already loaded with periodState (empty if it is not loaded). */
  rollupsOf(period: string): RollupDoc[] {
    return [...(this.rollups.get(period)?.values() ?? [])];
  }

  // ---------------------------------------------------------------- group commit

  private async commitGroup(group: Array<Extract<Task, { kind: 'record' }>>): Promise<void> {
    let config: TenantConfig;
    try {
      config = await this.ensureLoaded();
    } catch (e) {
      for (const t of group) t.reject(e);
      return;
    }
    const { c, clock } = this.deps;
    const t = this.tenantId;
    const all = group.flatMap((g) => g.events);
    let existing: Map<string, LedgerDoc>;
    try {
      // Only retries need the stored event (to answer with the first result); new keys need no lookup.
      const retried = [...new Set(all.map((e) => ledgerIdOf(t, e.idempotencyKey)))].filter((id) => this.keys.has(id));
      const found = await Promise.all(retried.map((id) => c.ledger.findOne({ _id: id })));
      existing = new Map(found.flatMap((d) => (d === null ? [] : [[d._id, d] as const])));
    } catch (e) {
      for (const g of group) g.reject(new UnavailableError(`ledger lookup failed: ${(e as Error).message}`));
      return;
    }
    const nowMs = clock.now();
    const pending = new Map<string, LedgerDoc>();
    const touchedUsage = new Map<string, { period: string; env: string }>();
    const touchedRollups = new Map<string, string>();
    const touchedTrials = new Set<string>();
    const exhaustedTrials: TrialState[] = [];
    const outcomes: RecordOutcome[][] = [];
    const startSeq = this.seq;
    for (const g of group) {
      const out: RecordOutcome[] = [];
      for (const e of g.events) {
        const id = ledgerIdOf(t, e.idempotencyKey);
        const prior = existing.get(id) ?? pending.get(id);
        if (prior !== undefined) {
          out.push(
            prior.fingerprint === e.fingerprint
              ? { ok: true, value: resultOf(prior, true) }
              : {
                  ok: false,
                  error: domainError(
                    'ALREADY_EXISTS',
                    'CONSUMPTION.KEY_REUSED',
                    `idempotency_key ${e.idempotencyKey} was already used for another event ` +
                      `(${prior.credits} credits in ${prior.environmentId} by ${prior.userId})`,
                    'idempotency_key',
                  ),
                },
          );
          continue;
        }
        const env = config.envs.get(e.environmentId);
        if (env === undefined) {
          out.push({
            ok: false,
            error: domainError(
              'NOT_FOUND',
              'ENVIRONMENT.NOT_FOUND',
              `environment ${e.environmentId} does not exist in tenant ${t}`,
              'environment_id',
            ),
          });
          continue;
        }
        const period = periodForEvent(e.occurredAtMs, nowMs, config.tenant.timeZone);
        if (!period.ok) {
          out.push({ ok: false, error: period.error });
          continue;
        }
        const state = await this.periodState(config, period.value);
        const draws = state.planDraws(e.environmentId, e.userId, e.credits, nowMs);
        const trial = config.trials.get(e.userId);
        const trialWasExhausted = trial?.status === 'EXHAUSTED';
        state.record(e.environmentId, e.userId, draws);
        const sums = sumDraws(draws);
        if (sums.TRIAL > 0 && trial !== undefined) {
          touchedTrials.add(e.userId);
          if (!trialWasExhausted && trial.status === 'EXHAUSTED') exhaustedTrials.push(trial);
        }
        touchedUsage.set(`${period.value}|${e.environmentId}`, { period: period.value, env: e.environmentId });
        this.seq += 1;
        const localDate = localDateOf(e.occurredAtMs, config.tenant.timeZone);
        const rollupKey = { period: period.value, localDate, environmentId: e.environmentId, userId: e.userId, capability: e.capability };
        const rollupId = rollupIdOf(t, rollupKey);
        const periodRollups = this.rollups.get(period.value);
        if (periodRollups !== undefined) {
          let r = periodRollups.get(rollupId);
          if (r === undefined) {
            r = { _id: rollupId, tenantId: t, ...rollupKey, credits: 0, events: 0, trialCredits: 0, overageCredits: 0, seq: 0 };
            periodRollups.set(rollupId, r);
          }
          addToRollup(r, { credits: e.credits, trialCredits: sums.TRIAL, overageCredits: sums.OVERAGE });
          touchedRollups.set(rollupId, period.value);
        }
        const doc: LedgerDoc = {
          _id: id,
          tenantId: t,
          seq: this.seq,
          idempotencyKey: e.idempotencyKey,
          fingerprint: e.fingerprint,
          environmentId: e.environmentId,
          userId: e.userId,
          operation: e.operation,
          credits: e.credits,
          capability: e.capability,
          quantity: e.quantity,
          sourceId: e.sourceId,
          occurredAt: new Date(e.occurredAtMs),
          recordedAt: new Date(nowMs),
          period: period.value,
          localDate,
          draws: draws.map((d) => ({ source: d.source, credits: d.credits })),
          allocationCredits: sums.ALLOCATION,
          unassignedCredits: sums.UNASSIGNED,
          trialCredits: sums.TRIAL,
          overageCredits: sums.OVERAGE,
          trialTerm: trial?.extensions ?? 0,
          stage: state.balanceOf(e.environmentId).stage,
        };
        pending.set(id, doc);
        out.push({ ok: true, value: resultOf(doc, false) });
      }
      outcomes.push(out);
    }
    if (pending.size > 0) {
      try {
        await c.ledger.insertMany([...pending.values()], { ordered: true });
      } catch (e) {
        // Memory already holds these events; the database may hold some of them. Reload repairs both.
        this.invalidate();
        this.seq = startSeq;
        this.deps.logger.warn('ledger write failed; tenant state will be reloaded', { tenant: t, error: (e as Error).message });
        for (const g of group) g.reject(new UnavailableError(`ledger write failed, retry: ${(e as Error).message}`));
        return;
      }
    }
    for (const doc of pending.values()) this.keys.set(doc._id, doc.fingerprint);
    group.forEach((g, i) => g.resolve(outcomes[i] ?? []));
    if (pending.size === 0) return;
    this.markDirty([...touchedUsage.values()], touchedRollups, [...touchedTrials]);
    await this.raiseAlerts(config, exhaustedTrials, [...new Set([...touchedUsage.values()].map((u) => u.period))]);
  }

  private async writeProjections(
    config: TenantConfig,
    usage: ReadonlyArray<{ period: string; env: string }>,
    rollups: ReadonlyMap<string, string>,
    trialUsers: readonly string[],
  ): Promise<void> {
    const { c } = this.deps;
    const t = this.tenantId;
    const ops: AnyBulkWriteOperation<UsageDoc>[] = [];
    for (const { period, env } of usage) {
      const state = this.periods.get(period);
      if (state === undefined) continue;
      const u = state.usageOf(env);
      ops.push({
        updateOne: {
          filter: { _id: usageIdOf(t, period, env) },
          update: { $set: { tenantId: t, period, environmentId: env, ...u, seq: this.seq } },
          upsert: true,
        },
      });
    }
    // Absolute values from memory (this actor is the only writer): a repeated or reordered write stays exact.
    const rollupOps: AnyBulkWriteOperation<RollupDoc>[] = [];
    for (const [id, period] of rollups) {
      const r = this.rollups.get(period)?.get(id);
      if (r === undefined) continue;
      r.seq = this.seq;
      const { _id, ...fields } = r;
      rollupOps.push({ updateOne: { filter: { _id }, update: { $set: fields }, upsert: true } });
    }
    const trialOps: AnyBulkWriteOperation<TrialDoc>[] = [];
    for (const user of trialUsers) {
      const trial = config.trials.get(user);
      if (trial === undefined) continue;
      trialOps.push({
        updateOne: { filter: { _id: trialIdOf(t, user) }, update: { $set: { consumed: trial.consumed, status: trial.status } } },
      });
    }
    // One after the other, in small commands: see chunkedBulkWrite.
    await chunkedBulkWrite(c.usage, ops);
    await chunkedBulkWrite(c.rollups, rollupOps);
    await chunkedBulkWrite(c.trials, trialOps);
    await c.tenants.updateOne({ _id: t }, { $set: { projectedSeq: this.seq } });
    config.tenant = { ...config.tenant, projectedSeq: this.seq };
  }

  // ---------------------------------------------------------------- alerts

  private isTracked(state: TenantPeriodState, env: string): boolean {
    // An environment nobody used and that has no allocation of its own has nothing worth alerting about.
    return state.hasAllocation(env) || state.usageOf(env).events > 0;
  }

  /** Sets the last alerted stage of every environment in period from the STAGE_CHANGED alerts stored for it. */
  private async loadAlertedStages(period: string): Promise<void> {
    const stored = await this.deps.c.alerts
      .find({ tenantId: this.tenantId, kind: 'STAGE_CHANGED', period }, { projection: { environmentId: 1, stage: 1, cursor: 1 } })
      .toArray();
    for (const key of [...this.alertedStages.keys()]) if (key.startsWith(`${period}|`)) this.alertedStages.delete(key);
    for (const a of stored.sort((x, y) => x.cursor - y.cursor)) {
      if (a.stage !== null) this.alertedStages.set(`${period}|${a.environmentId}`, a.stage);
    }
  }

  /** Raises stage-change alerts (up and down) for the given periods, and trial-exhausted alerts. */
  async raiseAlerts(config: TenantConfig, exhaustedTrials: readonly TrialState[], periods: readonly string[]): Promise<number> {
    for (const trial of exhaustedTrials) this.trialAlerts.set(`${trial.userId}|${trial.extensions}`, trial);
    for (const period of periods) this.alertPeriods.add(period);
    return this.raisePending(config);
  }

  /** Raises what is pending (inside the queue, after a task); nothing when the tenant is not loaded. */
  private async flushPendingAlerts(): Promise<void> {
    if (this.config === null || (this.alertPeriods.size === 0 && this.trialAlerts.size === 0)) return;
    await this.raisePending(this.config);
  }

  /**
   * Raises every pending alert. A stage counts as alerted only once its alert is stored (causes are unique,
   * so raising one again is harmless); when a raise fails, what is left stays pending and is retried by the
   * next group or task, or by a timer. Returns how many environments' alerted stage changed.
   */
  private async raisePending(config: TenantConfig): Promise<number> {
    const now = new Date(this.deps.clock.now());
    let changed = 0;
    try {
      for (const [key, trial] of [...this.trialAlerts]) {
        await this.deps.outbox.raise(
          {
            tenantId: this.tenantId,
            kind: 'TRIAL_EXHAUSTED',
            cause: `trial-exhausted:${trial.userId}:${trial.extensions}`,
            userId: trial.userId,
            consumed: trial.consumed,
            available: trial.credits,
            expiresAt: new Date(trial.expiresAtMs),
            title: `Trial of ${trial.userId} used up`,
            message: `${trial.userId} used all ${trial.credits} trial credits; runs drawing on the trial are refused`,
          },
          now,
        );
        this.trialAlerts.delete(key);
      }
      for (const period of [...this.alertPeriods]) {
        const state = this.periods.get(period);
        // A period no longer in memory is checked against the outbox again when it loads.
        if (state !== undefined) changed += await this.raiseStageChanges(config, state, now);
        this.alertPeriods.delete(period);
      }
      this.alertRetryMs = 0;
    } catch (e) {
      this.deps.logger.warn('alert raise failed; will retry', { tenant: this.tenantId, error: (e as Error).message });
      this.scheduleAlertRetry();
    }
    return changed;
  }

  private async raiseStageChanges(config: TenantConfig, state: TenantPeriodState, now: Date): Promise<number> {
    const period = state.period;
    let changed = 0;
    for (const env of config.envs.values()) {
      const id = env.environmentId;
      if (!this.isTracked(state, id)) continue;
      const key = `${period}|${id}`;
      const b = state.balanceOf(id);
      const previous = this.alertedStages.get(key) ?? 'NORMAL';
      if (b.stage === previous) continue;
      const scope = b.scope === 'POOL' ? 'the unassigned pool' : 'its allocation';
      await this.deps.outbox.raise(
        {
          tenantId: this.tenantId,
          kind: 'STAGE_CHANGED',
          cause: `stage:${id}:${period}:${b.stage}`,
          environmentId: id,
          environmentDisplayName: env.displayName,
          period,
          stage: b.stage,
          previousStage: previous,
          consumed: b.consumed,
          available: b.available,
          title: `${env.displayName} is now ${b.stage} (was ${previous})`,
          message: `${id} used ${b.consumed} of ${b.available} credits of ${scope} in ${period}`,
        },
        now,
      );
      this.alertedStages.set(key, b.stage);
      changed += 1;
    }
    return changed;
  }

  /** Retries pending alerts through the queue after a growing delay (1 s to 30 s) when nothing else runs. */
  private scheduleAlertRetry(): void {
    if (this.alertRetryMs > 0) return;
    this.alertRetryMs = 1_000;
    const retry = (): void => {
      this.exclusive(async () => undefined).then(
        () => {
          if (this.alertPeriods.size === 0 && this.trialAlerts.size === 0) {
            this.alertRetryMs = 0;
            return;
          }
          this.alertRetryMs = Math.min(this.alertRetryMs * 2, 30_000);
          setTimeout(retry, this.alertRetryMs).unref();
        },
        () => {
          this.alertRetryMs = 0;
        },
      );
    };
    setTimeout(retry, this.alertRetryMs).unref();
  }
}

/**
 * What an exclusive task (an admin use case, maintenance) may use: the loaded configuration, period states,
 * and a way to tell the actor that configuration changed (stages recomputed, alerts raised).
 */
export class TenantContext {
  constructor(
    private readonly actor: TenantActor,
    readonly config: TenantConfig,
    readonly deps: TenantActorDeps,
  ) {}

  get tenantId(): string {
    return this.actor.tenantId;
  }

  now(): number {
    return this.deps.clock.now();
  }

  currentPeriod(nowMs = this.now()): string {
    return periodOf(nowMs, this.config.tenant.timeZone);
  }

  periodState(period: string): Promise<TenantPeriodState> {
    return this.actor.periodState(this.config, period);
  }

  /**
   * Applies the configuration (settings, capacity, allocations, fallback) to every loaded period state, then
   * raises the stage alerts this caused. Returns how many environments changed stage.
   */
  async configChanged(): Promise<number> {
    const cfg = this.config;
    for (const state of this.actor.loadedPeriods()) {
      state.setSettings({ allowUnassigned: cfg.tenant.allowUnassigned, thresholds: cfg.tenant.thresholds });
      state.setCapacity(capacityOf(cfg.entitlements, state.period, DEFAULT_LICENSE_CATALOG));
      for (const env of state.allocations().keys()) if (!cfg.envs.has(env)) state.setAllocation(env, 0);
      for (const env of cfg.envs.values()) {
        state.setAllocation(env.environmentId, env.allocation);
        state.setPoolFallback(env.environmentId, env.tenantPoolFallback);
      }
    }
    const current = await this.periodState(this.currentPeriod());
    return this.actor.raiseAlerts(cfg, [], [current.period]);
  }

  raiseStageAlerts(periods: readonly string[]): Promise<number> {
    return this.actor.raiseAlerts(this.config, [], periods);
  }

  /** The period's rollups (loading the period if needed), exact up to the last acknowledged event. */
  async rollups(period: string): Promise<RollupDoc[]> {
    await this.periodState(period);
    return this.actor.rollupsOf(period);
  }

  reconcile(): Promise<{ fixes: ProjectionFix[]; ledgerEvents: number }> {
    return this.actor.reconcile(this.config);
  }
}
