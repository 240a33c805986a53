import { copilotDrawn, currencyOfSource, environmentStageOf, localDateOf, sumDraws, type TrialState } from '@allot/domain';
import { duplicateKeyIndexes, type LedgerDoc } from '../storage/collections';
import { ledgerIdOf, rollupIdOf } from '../storage/mappers';
import { UnavailableError, isUnavailable } from '../shared/core-error';
import { addToRollup } from './ledger-truth';
import { MemoryCheckpoint } from './memory-checkpoint';
import { FencedError } from './tenant-lease';
import type { ProjectionFlush } from './projection-flush';
import type { TenantMemory } from './tenant-memory';
import type { ConsumptionEvent, TenantConfig } from './tenant-types';

/**
 * Plans the new events of one group against memory, in order: draws and stage from the period state, usage,
 * rollups and trials changed in place (remembered by a checkpoint), and the ledger documents to write. undo() puts
 * memory back as it was; committed() hands what changed to the projection flush.
 */
export class GroupPlanner {
  docs: LedgerDoc[] = [];
  readonly periods = new Set<string>();
  exhaustedTrials: TrialState[] = [];
  private marks: Array<() => void> = [];
  private checkpoint: MemoryCheckpoint;

  constructor(
    private readonly tenantId: string,
    private readonly group: string,
    private readonly startSeq: number,
    private readonly nowMs: number,
    private readonly memory: TenantMemory,
    private readonly config: TenantConfig,
    private readonly flush: ProjectionFlush,
  ) {
    this.checkpoint = this.newCheckpoint();
  }

  /** Running consumption total of the tenant per period, within this group (counted once per period). */
  private totals = new Map<string, number>();

  /**
   * Whether the event keeps the tenant's consumption of the period a whole number held exactly (2^53-1); when it
   * does, its credits are counted, so call add() next. Every environment's and source's sum is at most that total.
   */
  async fits(e: ConsumptionEvent, period: string): Promise<boolean> {
    let total = this.totals.get(period);
    if (total === undefined) {
      const loaded = await this.memory.period(this.config, period);
      total = 0;
      for (const env of this.config.envs.keys()) {
        const u = loaded.state.usageOf(env);
        total += u.allocation + u.unassigned + u.trial + u.overage + copilotDrawn(u);
      }
    }
    // An event is charged in one currency; its larger price bounds what it adds (Copilot counted in thousandths).
    const added = Math.max(e.credits, e.copilot ?? 0);
    if (total + added > Number.MAX_SAFE_INTEGER) return false;
    this.totals.set(period, total + added);
    return true;
  }

  async add(e: ConsumptionEvent, period: string): Promise<LedgerDoc> {
    const t = this.tenantId;
    const tz = this.config.tenant.timeZone;
    const loaded = await this.memory.period(this.config, period);
    const draws = loaded.state.planDraws(e.environmentId, e.userId, e.credits, this.nowMs, e.copilot);
    const dual = loaded.state.licensingModel === 'DUAL';
    const currency = !dual ? undefined : draws.some((d) => currencyOfSource(d.source) === 'COPILOT') ? 'COPILOT' : 'AI_BUILDER';
    const trial = this.config.trials.get(e.userId);
    const trialWasExhausted = trial?.status === 'EXHAUSTED';
    this.checkpoint.usageOf(period, e.environmentId);
    this.checkpoint.trialOf(e.userId);
    const sourceChanged = e.sourceId !== '' && draws.length > 0;
    if (sourceChanged) this.checkpoint.sourceOf(period, e.environmentId, e.sourceId);
    loaded.state.record(e.environmentId, e.userId, draws, e.sourceId);
    if (sourceChanged) this.marks.push(() => this.flush.markSource(period, e.environmentId, e.sourceId, loaded));
    const sums = sumDraws(draws);
    if (sums.TRIAL > 0 && trial !== undefined) {
      this.marks.push(() => this.flush.markTrial(e.userId));
      if (!trialWasExhausted && trial.status === 'EXHAUSTED') this.exhaustedTrials.push(trial);
    }
    this.marks.push(() => this.flush.markUsage(period, e.environmentId, loaded));
    this.periods.add(period);
    const localDate = localDateOf(e.occurredAtMs, tz);
    const rollupKey = { period, localDate, environmentId: e.environmentId, userId: e.userId, capability: e.capability };
    const rollupId = rollupIdOf(t, rollupKey);
    this.checkpoint.rollupOf(period, rollupId);
    let r = loaded.rollups.get(rollupId);
    if (r === undefined) {
      r = { _id: rollupId, tenantId: t, ...rollupKey, credits: 0, events: 0, trialCredits: 0, overageCredits: 0, seq: 0 };
      loaded.rollups.set(rollupId, r);
    }
    addToRollup(r, { credits: e.credits, trialCredits: sums.TRIAL, overageCredits: sums.OVERAGE, draws, currency });
    this.marks.push(() => this.flush.markRollup(rollupId, period, loaded));
    const doc: LedgerDoc = {
      _id: ledgerIdOf(t, e.idempotencyKey),
      tenantId: t,
      seq: this.startSeq + this.docs.length + 1,
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
      recordedAt: new Date(this.nowMs),
      period,
      localDate,
      draws: draws.map((d) => ({ source: d.source, credits: d.credits })),
      allocationCredits: sums.ALLOCATION,
      unassignedCredits: sums.UNASSIGNED,
      trialCredits: sums.TRIAL,
      overageCredits: sums.OVERAGE,
      trialTerm: trial?.extensions ?? 0,
      ...(currency === undefined ? {} : { currency }),
      // Under DUAL both currencies together, as CheckAccess and GetBalance show it (no grace stage).
      stage: dual ? environmentStageOf(loaded.state, e.environmentId, e.userId, this.nowMs) : loaded.state.balanceOf(e.environmentId).stage,
      group: this.group,
    };
    this.docs.push(doc);
    return doc;
  }

  /** Puts memory back as it was before the first add. */
  undo(): void {
    this.totals.clear();
    this.checkpoint.restore();
  }

  /** Starts over (after undo): nothing planned. */
  reset(): void {
    this.totals.clear();
    this.docs = [];
    this.periods.clear();
    this.exhaustedTrials = [];
    this.marks = [];
    this.checkpoint = this.newCheckpoint();
  }

  /** The group is committed: its changes go to the projection flush. */
  committed(): void {
    this.flush.addCommitted(this.docs);
    for (const mark of this.marks) mark();
  }

  /** Undoes the group and returns the error to answer with (a duplicate seq or key: another replica wrote). */
  failed(e: unknown): Error {
    this.undo();
    if (e instanceof FencedError || duplicateKeyIndexes(e) !== null) return new FencedError(`tenant ${this.tenantId} is being written by another core; retry`);
    if (e instanceof UnavailableError) return e;
    return new UnavailableError(`ledger write failed, retry: ${(e as Error).message}${isUnavailable(e) ? '' : ' (unexpected)'}`);
  }

  private newCheckpoint(): MemoryCheckpoint {
    return new MemoryCheckpoint({
      usageOf: (p) => this.memory.periods.get(p)?.usage,
      rollupsOf: (p) => this.memory.periods.get(p)?.rollups,
      trials: this.config.trials,
    });
  }
}
