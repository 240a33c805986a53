/**
 * Ceilings B and C: what the same database takes from the MongoDB driver alone, with no core in between.
 * Documents are clones of a real ledger document (written by the core in this run), into a scratch collection
 * with the ledger's indexes, so the database does the same work per event as for the core's ledger.
 */
import { performance } from 'node:perf_hooks';
import type { Collection, Db, Document } from 'mongodb';
import type { Measurement } from './results';

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** A scratch collection with the indexes of the ledger collection `ledger` (dropped by the caller). */
export async function scratchLedger(db: Db, name: string, ledger: string): Promise<Collection<Document>> {
  await db.collection(name).drop().catch(() => undefined);
  const scratch = db.collection(name);
  const indexes = await db.collection(ledger).listIndexes().toArray();
  for (const ix of indexes) {
    if (ix['name'] === '_id_') continue;
    await scratch.createIndex(ix['key'] as Document, { unique: ix['unique'] === true, name: String(ix['name']) });
  }
  return scratch;
}

/**
 * A ledger-shaped clone of `template` (a document the core wrote) for `tenantId`, with its own key and seq. The
 * _id is the template's with tenant and key substituted, so it follows whatever scheme the core uses.
 */
export function cloneLedgerDoc(template: Document, tenantId: string, key: string, seq: number): Document {
  const id = String(template['_id']).split(String(template['tenantId'])).join(tenantId).split(String(template['idempotencyKey'])).join(key);
  return { ...template, _id: id, tenantId, idempotencyKey: key, seq };
}

/**
 * Runs `op` in `concurrency` loops for `seconds`; each op resolves to the events it carried. Errors stop the
 * loop that hit them after 20 (nothing sensible left to measure).
 */
export async function measureDriver(
  name: string,
  concurrency: number,
  seconds: number,
  op: (worker: number, i: number) => Promise<number>,
): Promise<Measurement> {
  process.stderr.write(`  driver: ${name}, c=${concurrency}, ${seconds} s\n`);
  const latencies: number[] = [];
  let events = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; performance.now() < end && errors < 20; i++) {
        const t0 = performance.now();
        try {
          const n = await op(w, i);
          events += n;
          latencies.push(performance.now() - t0);
        } catch (e) {
          errors++;
          firstError ??= (e as Error).message;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    client: 'driver',
    concurrency,
    calls: latencies.length,
    events,
    seconds: elapsed,
    callsPerSecond: latencies.length / elapsed,
    eventsPerSecond: events / elapsed,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    errors,
    ...(firstError === undefined ? {} : { firstError: firstError.slice(0, 200) }),
  };
}

/** B: insertMany of `batch` ledger-shaped documents a call. */
export function rawInsertMany(
  db: Db,
  ledger: string,
  template: Document,
  name: string,
  opts: { concurrency: number; seconds: number; batch: number },
): Promise<Measurement> {
  return withScratch(db, 'bench_raw_many', ledger, (scratch) =>
    measureDriver(name, opts.concurrency, opts.seconds, async (w, i) => {
      const docs = Array.from({ length: opts.batch }, (_, j) => cloneLedgerDoc(template, `raw-${w}`, `m-${i}-${j}`, i * opts.batch + j + 1));
      await scratch.insertMany(docs, { ordered: false });
      return opts.batch;
    }),
  );
}

/** C: one insertOne per event. */
export function rawInsertOne(db: Db, ledger: string, template: Document, name: string, opts: { concurrency: number; seconds: number }): Promise<Measurement> {
  return withScratch(db, 'bench_raw_one', ledger, (scratch) =>
    measureDriver(name, opts.concurrency, opts.seconds, async (w, i) => {
      await scratch.insertOne(cloneLedgerDoc(template, `raw-${w}`, `o-${i}`, i + 1));
      return 1;
    }),
  );
}

async function withScratch<T>(db: Db, name: string, ledger: string, fn: (c: Collection<Document>) => Promise<T>): Promise<T> {
  const scratch = await scratchLedger(db, name, ledger);
  try {
    return await fn(scratch);
  } finally {
    await scratch.drop().catch(() => undefined);
  }
}
