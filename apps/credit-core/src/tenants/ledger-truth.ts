import { addEventToUsage, addSourceUsage, currencyOfSource, emptyEnvironmentUsage, type Draw, type EnvironmentUsage } from '@allot/domain';
import type { LedgerDoc, RollupDoc } from '../storage/collections';
import { copilotChargedOf, rollupIdOf, usageIdOf, type RollupKey } from '../storage/mappers';

/** The ledger fields every projection derives from (a find projection: FerretDB streams these without $group). */
export const LEDGER_TRUTH_FIELDS = {
  _id: 1,
  fingerprint: 1,
  seq: 1,
  period: 1,
  localDate: 1,
  environmentId: 1,
  userId: 1,
  capability: 1,
  credits: 1,
  allocationCredits: 1,
  unassignedCredits: 1,
  trialCredits: 1,
  overageCredits: 1,
  trialTerm: 1,
  draws: 1,
  sourceId: 1,
  currency: 1,
} as const;

export type LedgerTruthRow = Pick<LedgerDoc, keyof typeof LEDGER_TRUTH_FIELDS>;

export type RollupValues = Pick<RollupDoc, 'credits' | 'events' | 'trialCredits' | 'overageCredits' | 'copilotCredits' | 'copilotOverage'>;

type RollupSource = Pick<LedgerDoc, 'credits' | 'trialCredits' | 'overageCredits' | 'draws' | 'currency'>;

/**
 * Adds one ledger event to a rollup (in place). An event charged in Copilot Credits adds its Copilot thousandths, and 0
 * AI Builder credits (its `credits` is only its AI Builder price): reports never count one event in both currencies.
 */
export function addToRollup(r: RollupValues, e: RollupSource): void {
  r.events += 1;
  if (e.currency === 'COPILOT') {
    r.copilotCredits = (r.copilotCredits ?? 0) + copilotChargedOf(e.draws);
    const overage = e.draws.reduce((sum, d) => sum + (d.source === 'COPILOT_OVERAGE' ? d.credits : 0), 0);
    if (overage > 0 || r.copilotOverage !== undefined) r.copilotOverage = (r.copilotOverage ?? 0) + overage;
    return;
  }
  r.credits += e.credits;
  r.trialCredits += e.trialCredits;
  r.overageCredits += e.overageCredits;
}

/**
 * Adds one ledger event to an environment's usage (in place), as the period state's record() did: AI Builder credits
 * from the stored sums (events written before Copilot draws existed have them), Copilot credits and sources from its draws.
 */
export function addLedgerEventToUsage(u: EnvironmentUsage, e: UsageSource): void {
  addEventToUsage(u, drawsOf(e), e.sourceId ?? '');
}

type UsageSource = Pick<LedgerDoc, 'allocationCredits' | 'unassignedCredits' | 'trialCredits' | 'overageCredits' | 'draws' | 'sourceId'>;

/** A ledger event's draws: AI Builder ones from the stored sums, Copilot ones from its draws. */
function drawsOf(e: UsageSource): Draw[] {
  const draws: Draw[] = [];
  if (e.allocationCredits > 0) draws.push({ source: 'ALLOCATION', credits: e.allocationCredits });
  if (e.unassignedCredits > 0) draws.push({ source: 'UNASSIGNED', credits: e.unassignedCredits });
  if (e.trialCredits > 0) draws.push({ source: 'TRIAL', credits: e.trialCredits });
  if (e.overageCredits > 0) draws.push({ source: 'OVERAGE', credits: e.overageCredits });
  for (const d of e.draws ?? []) if (currencyOfSource(d.source) === 'COPILOT' && d.credits > 0) draws.push(d);
  return draws;
}

/** Key of one source's usage in an environment (the seq maps of replayJournal). */
export const sourceKeyOf = (environmentId: string, source: string): string => `${environmentId}\u0000${source}`;

/**
 * Every projection recomputed from ledger rows, summed in JS while the rows stream by (one find, no $group:
 * FerretDB 1.24 computes one accumulator per $group and answers range filters with a full scan anyway).
 */
export class LedgerTruth {
  /** usage id -> values. */
  readonly usage = new Map<string, { period: string; environmentId: string; usage: EnvironmentUsage }>();
  /** period -> rollup id -> document (seq 0: set when written). */
  readonly rollups = new Map<string, Map<string, RollupDoc>>();
  /** user|trial term -> trial credits drawn. */
  readonly trials = new Map<string, number>();
  /** Periods with events after sinceSeq: the ones a repair rebuilds. */
  readonly periodsBehind = new Set<string>();
  count = 0;
  maxSeq = 0;

  constructor(
    private readonly tenantId: string,
    private readonly sinceSeq: number,
  ) {}

  add(row: LedgerTruthRow): void {
    const t = this.tenantId;
    this.count += 1;
    if (row.seq > this.maxSeq) this.maxSeq = row.seq;
    if (row.seq > this.sinceSeq) this.periodsBehind.add(row.period);
    const uid = usageIdOf(t, row.period, row.environmentId);
    let u = this.usage.get(uid);
    if (u === undefined) {
      u = { period: row.period, environmentId: row.environmentId, usage: emptyEnvironmentUsage() };
      this.usage.set(uid, u);
    }
    addLedgerEventToUsage(u.usage, row);
    let byId = this.rollups.get(row.period);
    if (byId === undefined) {
      byId = new Map();
      this.rollups.set(row.period, byId);
    }
    const key: RollupKey = {
      period: row.period,
      localDate: row.localDate,
      environmentId: row.environmentId,
      userId: row.userId,
      capability: row.capability ?? '',
    };
    const rid = rollupIdOf(t, key);
    let r = byId.get(rid);
    if (r === undefined) {
      r = { _id: rid, tenantId: t, ...key, credits: 0, events: 0, trialCredits: 0, overageCredits: 0, seq: 0 };
      byId.set(rid, r);
    }
    addToRollup(r, row);
    if (row.trialCredits > 0) {
      const tk = `${row.userId}|${row.trialTerm}`;
      this.trials.set(tk, (this.trials.get(tk) ?? 0) + row.trialCredits);
    }
  }
}

/**
 * Adds the journal events a projection document does not include yet (seq above the document's own) to usage and
 * rollups loaded from the database, in place. Exact because every projection document is written with absolute
 * values and the seq they reflect, and the journal keeps every event above the high-water mark. Returns what
 * changed (to be written back).
 */
export function replayJournal(
  tenantId: string,
  usage: Map<string, EnvironmentUsage>,
  /** The seq each usage document (by environment) and source usage document (by sourceKeyOf) was written at. */
  seqs: { readonly usage: ReadonlyMap<string, number>; readonly sources: ReadonlyMap<string, number> },
  rollups: Map<string, RollupDoc>,
  events: readonly LedgerDoc[],
): { usageEnvs: string[]; rollupIds: string[]; sources: Array<{ env: string; source: string }> } {
  const usageEnvs = new Set<string>();
  const rollupIds = new Set<string>();
  const sources = new Map<string, { env: string; source: string }>();
  const usageOf = (env: string): EnvironmentUsage => {
    let u = usage.get(env);
    if (u === undefined) {
      u = emptyEnvironmentUsage();
      usage.set(env, u);
    }
    return u;
  };
  for (const e of events) {
    const draws = drawsOf(e);
    if (e.seq > (seqs.usage.get(e.environmentId) ?? 0)) {
      addEventToUsage(usageOf(e.environmentId), draws, '');
      usageEnvs.add(e.environmentId);
    }
    const source = e.sourceId ?? '';
    const sourceKey = sourceKeyOf(e.environmentId, source);
    if (source !== '' && draws.length > 0 && e.seq > (seqs.sources.get(sourceKey) ?? 0)) {
      addSourceUsage(usageOf(e.environmentId), draws, source);
      sources.set(sourceKey, { env: e.environmentId, source });
    }
    const key: RollupKey = { period: e.period, localDate: e.localDate, environmentId: e.environmentId, userId: e.userId, capability: e.capability ?? '' };
    const id = rollupIdOf(tenantId, key);
    let r = rollups.get(id);
    if (r !== undefined && e.seq <= r.seq) continue;
    if (r === undefined) {
      r = { _id: id, tenantId, ...key, credits: 0, events: 0, trialCredits: 0, overageCredits: 0, seq: 0 };
      rollups.set(id, r);
    }
    addToRollup(r, e);
    rollupIds.add(id);
  }
  return { usageEnvs: [...usageEnvs], rollupIds: [...rollupIds], sources: [...sources.values()] };
}
