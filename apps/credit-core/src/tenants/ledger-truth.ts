import type { LedgerDoc, RollupDoc } from '../storage/collections';

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
} as const;

export type LedgerTruthRow = Pick<LedgerDoc, keyof typeof LEDGER_TRUTH_FIELDS>;

export interface UsageValues {
  allocation: number;
  unassigned: number;
  trial: number;
  overage: number;
  events: number;
}

export type RollupKey = Pick<RollupDoc, 'period' | 'localDate' | 'environmentId' | 'userId' | 'capability'>;
export type RollupValues = Pick<RollupDoc, 'credits' | 'events' | 'trialCredits' | 'overageCredits'>;

export const usageIdOf = (tenantId: string, period: string, env: string): string => `${tenantId}|${period}|${env}`;

export const rollupIdOf = (tenantId: string, k: RollupKey): string =>
  `${tenantId}|${k.period}|${k.localDate}|${k.environmentId}|${k.userId}|${k.capability}`;

/** Adds one ledger event to a rollup (in place). */
export function addToRollup(r: RollupValues, e: Pick<LedgerDoc, 'credits' | 'trialCredits' | 'overageCredits'>): void {
  r.credits += e.credits;
  r.events += 1;
  r.trialCredits += e.trialCredits;
  r.overageCredits += e.overageCredits;
}

/**
 * Every projection recomputed from ledger rows, summed in JS while the rows stream by (one find, no $group:
 * FerretDB 1.24 computes one accumulator per $group and answers range filters with a full scan anyway).
 */
export class LedgerTruth {
  /** usage id -> values. */
  readonly usage = new Map<string, UsageValues & { period: string; environmentId: string }>();
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
      u = { period: row.period, environmentId: row.environmentId, allocation: 0, unassigned: 0, trial: 0, overage: 0, events: 0 };
      this.usage.set(uid, u);
    }
    u.allocation += row.allocationCredits;
    u.unassigned += row.unassignedCredits;
    u.trial += row.trialCredits;
    u.overage += row.overageCredits;
    u.events += 1;
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
