import type { Collections, LedgerDoc } from '../storage/collections';
import { journalEventsOf } from '../storage/journal-chunks';

/** An idempotency key already used, and the periods its event most likely lies in (most likely first). */
export interface WantedKey {
  readonly id: string;
  readonly periods: readonly string[];
  /** Read its claim when not found there (an event without occurred_at may lie in any later period). */
  readonly askClaim: boolean;
}

/**
 * Finds the first recording of keys the database refused as used (or late events that may be retries), so they
 * are answered with their first result. What it reads is kept small, because on FerretDB 1.24 every filtered read
 * scans its whole collection (no index is used), while on MongoDB each query below is an index lookup:
 *   1. the tenant's journal (a small collection: events not yet in the projections), one query;
 *   2. per likely period, that period's ledger partition: one point read for a key, then one read of the whole
 *      commit group it was written in (a retried batch is usually one or two groups), so a retry of 500 old events
 *      costs a few reads of one partition, not 500 reads of the whole ledger;
 *   3. only for a key found in none of those (an event retried months later without occurred_at, a claim left by
 *      a crash before its commit): its claim, which names the period its event was recorded in.
 * Returns id -> stored event; an id absent from the answer has no committed event (an orphan claim).
 */
export async function findRecorded(
  c: Collections,
  tenantId: string,
  committedSeq: number,
  wanted: readonly WantedKey[],
): Promise<Map<string, LedgerDoc>> {
  const found = new Map<string, LedgerDoc>();
  if (wanted.length === 0) return found;
  const want = new Set(wanted.map((w) => w.id));
  // Journal documents above the commit point were never acknowledged: they do not count.
  for (const d of journalEventsOf(await c.journal.find({ tenantId }).toArray())) {
    if (want.has(d._id) && d.seq <= committedSeq) found.set(d._id, d);
  }
  const checked = new Map<string, Set<string>>();
  const searchPartition = async (period: string, ids: readonly string[]): Promise<string[]> => {
    const done = checked.get(period) ?? new Set<string>();
    checked.set(period, done);
    const partition = c.ledger(period);
    const missing: string[] = [];
    for (const id of ids) {
      if (found.has(id) || done.has(id)) continue;
      done.add(id);
      const doc = await partition.findOne({ _id: id });
      if (doc === null) {
        missing.push(id);
        continue;
      }
      found.set(id, doc);
      // The rest of its commit group comes in one read: the other retried keys are most likely in it.
      if (doc.group !== undefined) {
        for (const d of await partition.find({ tenantId, group: doc.group }).toArray()) {
          if (want.has(d._id) && !found.has(d._id)) {
            found.set(d._id, d);
            done.add(d._id);
          }
        }
      }
    }
    return missing;
  };
  let left = wanted.filter((w) => !found.has(w.id));
  for (let depth = 0; left.length > 0 && depth < 2; depth++) {
    const byPeriod = new Map<string, string[]>();
    for (const w of left) {
      const p = w.periods[depth];
      if (p !== undefined) byPeriod.set(p, [...(byPeriod.get(p) ?? []), w.id]);
    }
    for (const [period, ids] of byPeriod) await searchPartition(period, ids);
    left = left.filter((w) => !found.has(w.id));
  }
  for (const w of left) {
    if (!w.askClaim) continue;
    const claim = await c.keyClaims.findOne({ _id: w.id });
    if (claim !== null && claim.period !== '') await searchPartition(claim.period, [w.id]);
  }
  return found;
}
