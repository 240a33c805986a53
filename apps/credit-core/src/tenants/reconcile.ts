import type { AnyBulkWriteOperation } from 'mongodb';
import { copilotDrawn } from '@allot/domain';
import type { Collections, LedgerDoc, RollupDoc, SourceUsageDoc, UsageDoc } from '../storage/collections';
import { sourceUsageIdOf, trialIdOf, usageToFields } from '../storage/mappers';
import { chunkedBulkWrite } from '../storage/chunked-bulk-write';
import { LEDGER_TRUTH_FIELDS, LedgerTruth, type LedgerTruthRow } from './ledger-truth';
import type { ProjectionFix, TenantConfig } from './tenant-types';

/** Rows per page of Reconcile's pass over a ledger partition. */
const PAGE = 2_000;

/**
 * Reconcile's full pass, run outside the tenant's queue (writes go on meanwhile): the truth of every projection
 * from the tenant's events up to upToSeq in every ledger partition, read in pages of 2,000 rows with the fields
 * projected by the server (no $group). Events committed later are added from the journal by the caller.
 */
export async function ledgerTruthUpTo(c: Collections, tenantId: string, upToSeq: number): Promise<LedgerTruth> {
  const truth = new LedgerTruth(tenantId, 0);
  for (const period of await c.ledgerPeriods()) {
    const cursor = c.ledger(period).find({ tenantId }, { projection: LEDGER_TRUTH_FIELDS, batchSize: PAGE });
    for await (const doc of cursor) {
      const row = doc as LedgerTruthRow;
      if (row.seq <= upToSeq) truth.add(row);
    }
  }
  return truth;
}

/** Adds journal events above fromSeq (committed since the pass started) to the truth. */
export function addJournal(truth: LedgerTruth, journal: readonly LedgerDoc[], fromSeq: number, toSeq: number): void {
  for (const d of journal) if (d.seq > fromSeq && d.seq <= toSeq) truth.add(d);
}

/** AI Builder credits plus Copilot Credits (whole, rounded up) of a usage document, for the repair report. */
const total = (u: Pick<UsageDoc, 'allocation' | 'unassigned' | 'trial' | 'overage' | 'copilot'>): number =>
  u.allocation + u.unassigned + u.trial + u.overage + Math.ceil(copilotDrawn(u) / 1000);

/** A usage document's counts in one comparable string. */
const canonicalUsage = (u: Pick<UsageDoc, 'allocation' | 'unassigned' | 'trial' | 'overage' | 'events' | 'copilot'>): string =>
  JSON.stringify([
    u.allocation,
    u.unassigned,
    u.trial,
    u.overage,
    u.events,
    u.copilot === undefined || u.copilot === null ? null : [u.copilot.allocation, u.copilot.unassigned, u.copilot.payg, u.copilot.overage],
  ]);
const rollupKey = (r: RollupDoc): string => `${r.period}/${r.localDate}/${r.environmentId}/${r.userId}/${r.capability}`;

/**
 * Rewrites the usage and rollup documents of the given periods and every trial to the truth (documents set to
 * seq, the truth's high-water mark). Returns what differed.
 */
export async function repairProjections(
  c: Collections,
  tenantId: string,
  config: TenantConfig,
  truth: LedgerTruth,
  periods: ReadonlySet<string>,
  seq: number,
): Promise<ProjectionFix[]> {
  const t = tenantId;
  const fixes: ProjectionFix[] = [];
  const list = [...periods];
  // One equality query per period (pushed down by FerretDB; an $in would be a full scan).
  const [storedUsage, storedRollups] = await Promise.all([
    Promise.all(list.map((period) => c.usage.find({ tenantId: t, period }).toArray())).then((r) => r.flat()),
    Promise.all(list.map((period) => c.rollups.find({ tenantId: t, period }).toArray())).then((r) => r.flat()),
  ]);
  const usageOps: AnyBulkWriteOperation<UsageDoc>[] = [];
  const usageById = new Map(storedUsage.map((d) => [d._id, d]));
  for (const [id, row] of truth.usage) {
    if (!periods.has(row.period)) continue;
    const before = usageById.get(id);
    usageById.delete(id);
    const fields = usageToFields(row.usage);
    if (before !== undefined && canonicalUsage(before) === canonicalUsage(fields)) continue;
    fixes.push({ projection: 'usage', key: `${row.period}/${row.environmentId}`, before: before ? total(before) : 0, after: total(fields) });
    // Copilot counts the truth does not have are removed, not left over from the wrong document.
    usageOps.push({
      updateOne: {
        filter: { _id: id },
        update: { $set: { tenantId: t, period: row.period, environmentId: row.environmentId, ...fields, seq }, ...(fields.copilot === undefined ? { $unset: { copilot: '' as const } } : {}) },
        upsert: true,
      },
    });
  }
  for (const d of usageById.values()) {
    fixes.push({ projection: 'usage', key: `${d.period}/${d.environmentId}`, before: total(d), after: 0 });
    usageOps.push({ deleteOne: { filter: { _id: d._id } } });
  }

  const rollupOps: AnyBulkWriteOperation<RollupDoc>[] = [];
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
        before.overageCredits === row.overageCredits &&
        (before.copilotCredits ?? 0) === (row.copilotCredits ?? 0) &&
        (before.copilotOverage ?? 0) === (row.copilotOverage ?? 0);
      if (same) continue;
      fixes.push({ projection: 'rollup', key: rollupKey(row), before: before?.credits ?? 0, after: row.credits });
      const { _id, ...fields } = row;
      rollupOps.push({ updateOne: { filter: { _id }, update: { $set: { ...fields, seq } }, upsert: true } });
    }
  }
  for (const d of rollupById.values()) {
    fixes.push({ projection: 'rollup', key: rollupKey(d), before: d.credits, after: 0 });
    rollupOps.push({ deleteOne: { filter: { _id: d._id } } });
  }
  await chunkedBulkWrite(c.usage, usageOps);
  await chunkedBulkWrite(c.rollups, rollupOps);
  fixes.push(...(await repairSourceUsage(c, t, truth, list, seq)));

  // Trials: the consumption of each user's current term, from the ledger.
  for (const trial of config.trials.values()) {
    const consumed = truth.trials.get(`${trial.userId}|${trial.extensions}`) ?? 0;
    if (consumed === trial.consumed) continue;
    fixes.push({ projection: 'trial', key: trial.userId, before: trial.consumed, after: consumed });
    trial.consumed = consumed;
    trial.status = consumed >= trial.credits ? 'EXHAUSTED' : trial.status === 'EXHAUSTED' ? 'ACTIVE' : trial.status;
    await c.trials.updateOne({ _id: trialIdOf(t, trial.userId) }, { $set: { consumed, status: trial.status, seq } });
  }
  return fixes;
}

/** Rewrites the source usage documents of the given periods to the truth (what each source drew, from the ledger). */
async function repairSourceUsage(c: Collections, t: string, truth: LedgerTruth, periods: readonly string[], seq: number): Promise<ProjectionFix[]> {
  const fixes: ProjectionFix[] = [];
  const stored = (await Promise.all(periods.map((period) => c.sourceUsage.find({ tenantId: t, period }).toArray()))).flat();
  const storedById = new Map(stored.map((d) => [d._id, d]));
  const ops: AnyBulkWriteOperation<SourceUsageDoc>[] = [];
  for (const row of truth.usage.values()) {
    if (!periods.includes(row.period)) continue;
    for (const [source, su] of row.usage.sources ?? []) {
      const _id = sourceUsageIdOf(t, row.period, row.environmentId, source);
      const before = storedById.get(_id);
      storedById.delete(_id);
      if (before !== undefined && before.credits === su.credits && before.copilot === su.copilot) continue;
      fixes.push({ projection: 'source', key: `${row.period}/${row.environmentId}/${source}`, before: before?.credits ?? 0, after: su.credits });
      const fields = { tenantId: t, period: row.period, environmentId: row.environmentId, source, credits: su.credits, copilot: su.copilot, seq };
      ops.push({ updateOne: { filter: { _id }, update: { $set: fields }, upsert: true } });
    }
  }
  for (const d of storedById.values()) {
    fixes.push({ projection: 'source', key: `${d.period}/${d.environmentId}/${d.source}`, before: d.credits, after: 0 });
    ops.push({ deleteOne: { filter: { _id: d._id } } });
  }
  await chunkedBulkWrite(c.sourceUsage, ops);
  return fixes;
}
