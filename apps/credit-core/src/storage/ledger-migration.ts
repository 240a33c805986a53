import type { Db } from 'mongodb';
import type { Logger } from '../logger';
import { duplicateKeyIndexes, ensureLedgerIndexes, type Collections, type KeyClaimDoc, type LedgerDoc } from './collections';

const MARKER = 'ledger-partitions-v2';
const PAGE = 2_000;

/**
 * One-off move of a database written before the ledger was partitioned: every event of the old single `ledger`
 * collection gets its idempotency claim (ledger_keys) and a copy in its period's partition (ledger_YYYY_MM). Runs
 * before the core serves (a retry of an old event must find its claim), is idempotent (an interrupted run is done
 * again), and leaves the old collection untouched. Nothing to do on a new database.
 */
export async function migrateLedgerV1(db: Db, c: Collections, logger: Logger): Promise<void> {
  const migrations = db.collection<{ _id: string; at: Date; events: number }>('migrations');
  if ((await migrations.findOne({ _id: MARKER })) !== null) return;
  const old = (await db.listCollections({ name: 'ledger' }, { nameOnly: true }).toArray()).length > 0;
  let events = 0;
  if (old) {
    logger.info('moving the v1 ledger into claims and period partitions (once)');
    const indexed = new Set<string>();
    let page: LedgerDoc[] = [];
    const flush = async (): Promise<void> => {
      if (page.length === 0) return;
      const claims: KeyClaimDoc[] = page.map((d) => ({ _id: d._id, tenantId: d.tenantId, fingerprint: d.fingerprint, period: d.period, group: `${d.tenantId}|v1` }));
      const byPeriod = new Map<string, LedgerDoc[]>();
      for (const d of page) byPeriod.set(d.period, [...(byPeriod.get(d.period) ?? []), { ...d, group: d.group ?? `${d.tenantId}|v1` }]);
      const inserts: Array<Promise<unknown>> = [c.keyClaims.insertMany(claims, { ordered: false })];
      for (const [period, docs] of byPeriod) {
        if (!indexed.has(period)) {
          await ensureLedgerIndexes(c, period);
          indexed.add(period);
        }
        inserts.push(c.ledger(period).insertMany(docs, { ordered: false }));
      }
      for (const r of await Promise.allSettled(inserts)) if (r.status === 'rejected' && duplicateKeyIndexes(r.reason) === null) throw r.reason;
      events += page.length;
      if (events % 50_000 < PAGE) logger.info('v1 ledger moved so far', { events });
      page = [];
    };
    for await (const doc of db.collection<LedgerDoc>('ledger').find({}, { batchSize: PAGE })) {
      page.push(doc);
      if (page.length >= PAGE) await flush();
    }
    await flush();
  }
  await migrations.updateOne({ _id: MARKER }, { $set: { at: new Date(), events } }, { upsert: true });
  if (old) logger.info('v1 ledger moved', { events });
}
