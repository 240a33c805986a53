/**
 * Allot benchmark (`npm run bench`): starts its own throwaway FerretDB and a real credit core process (the test
 * harness), sets up one tenant, and measures over loopback gRPC:
 *   - RecordConsumption, one event per call, at concurrency 1 and 64 (calls/s, p50/p99 latency)
 *   - RecordConsumptionBatch, 100 events per call (events/s)
 *   - CheckAccess (the hot path, answered from memory) and GetBalance (calls/s, p50/p99)
 * and, in the same run against the same FerretDB, a naive baseline: one MongoDB read-modify-write per event
 * (findOne + updateOne + insertOne) at concurrency 1 and 8, to show what the core's grouped commits buy (and that
 * the naive path loses updates). Whole run about 1 minute, always < 3 minutes.
 *
 * Options (environment): BENCH_PHASE_MS (default 8000) time per phase.
 */
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { EntitlementKind, Operation, RecordConsumptionRequest } from '@allot/contracts';
import { createCoreClient, CoreCallError, type CoreClient } from '@allot/grpc-client';
import { startCoreProcess, startTestMongo, type CoreProcess, type RunningService } from '@allot/testing';

const PHASE_MS = Number(process.env['BENCH_PHASE_MS'] ?? 8_000);
const WARMUP_MS = 1_000;
const BATCH_SIZE = 100;
const ENV_ID = 'bench-env';
const NAIVE_MAX_CONCURRENCY = 8;

interface PhaseResult {
  readonly name: string;
  readonly concurrency: number;
  readonly calls: number;
  readonly events: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly firstError?: string;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

/**
 * Runs `op` in `concurrency` loops for `durationMs`; each op resolves to the number of events it carried.
 * A failing op counts as an error; after 50 errors the phase stops (nothing to measure).
 */
async function measure(
  name: string,
  concurrency: number,
  durationMs: number,
  op: (worker: number, i: number) => Promise<number>,
): Promise<PhaseResult> {
  process.stderr.write(`  running: ${name}, concurrency ${concurrency}, ${durationMs / 1000} s\n`);
  const latencies: number[] = [];
  let events = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const end = started + durationMs;
  const worker = async (w: number): Promise<void> => {
    for (let i = 0; performance.now() < end && errors < 50; i++) {
      const t0 = performance.now();
      try {
        // Await first: `events += await op()` would read `events` before the await and lose other workers' counts.
        const carried = await op(w, i);
        events += carried;
        latencies.push(performance.now() - t0);
      } catch (e) {
        errors++;
        firstError ??= e instanceof CoreCallError ? `${e.code} ${e.details}` : (e as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    concurrency,
    calls: latencies.length,
    events,
    seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    firstError,
  };
}

function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return '-';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function printTable(results: readonly PhaseResult[]): void {
  const header = ['measurement', 'conc', 'calls/s', 'events/s', 'p50 ms', 'p99 ms', 'calls', 'errors'];
  const rows = results.map((r) => [
    r.name,
    String(r.concurrency),
    fmt(r.calls / r.seconds),
    r.events > 0 ? fmt(r.events / r.seconds) : '-',
    fmt(r.p50, 2),
    fmt(r.p99, 2),
    fmt(r.calls),
    r.errors ? `${r.errors} (${(r.firstError ?? '').slice(0, 60)})` : '0',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

function event(tenantId: string, key: string, credits: number): RecordConsumptionRequest {
  return RecordConsumptionRequest.fromPartial({
    tenantId,
    environmentId: ENV_ID,
    userId: 'bench-user',
    idempotencyKey: key,
    occurredAt: new Date(),
    operation: Operation.OPERATION_RUN,
    credits,
  });
}

async function setUpTenant(client: CoreClient, tenantId: string): Promise<void> {
  await client.admin.createTenant({ tenantId, displayName: 'Bench', timeZone: '' });
  // 1,000 add-on units: a billion credits, so no phase runs into overage.
  await client.admin.addEntitlement({
    tenantId,
    kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON,
    sku: '',
    quantity: 1_000,
    firstPeriod: '',
    lastPeriod: '',
  });
  await client.admin.createEnvironment({ tenantId, environmentId: ENV_ID, displayName: 'Bench', tenantPoolFallback: false });
  await client.admin.setAllocation({ tenantId, environmentId: ENV_ID, credits: 500_000_000 });
}

/** The naive write path: read the balance, write it back with the new total, append the event. */
async function naiveBaseline(mongoUrl: string, results: PhaseResult[]): Promise<{ lost: number; attempted: number }> {
  const mongo = new MongoClient(mongoUrl, { maxPoolSize: 100, socketTimeoutMS: 15_000, waitQueueTimeoutMS: 15_000, serverSelectionTimeoutMS: 10_000 });
  await mongo.connect();
  const db = mongo.db();
  const balances = db.collection<{ _id: string; consumed: number }>('bench_naive_balances');
  const ledger = db.collection<{ _id: string; credits: number; at: Date }>('bench_naive_ledger');
  try {
    let lost = 0;
    let attempted = 0;
    // Not 64: the throwaway FerretDB has 8 PostgreSQL connections, and more than 8 concurrent read-modify-writes of
    // one document stall it until the driver times out (seen with 16). 8 is the naive path's best case here.
    for (const concurrency of [1, NAIVE_MAX_CONCURRENCY]) {
      const id = `naive-c${concurrency}`;
      await balances.insertOne({ _id: id, consumed: 0 });
      const r = await measure('naive Mongo read-modify-write', concurrency, PHASE_MS, async (w, i) => {
        const doc = await balances.findOne({ _id: id });
        await balances.updateOne({ _id: id }, { $set: { consumed: (doc?.consumed ?? 0) + 1 } });
        await ledger.insertOne({ _id: `${id}-${w}-${i}`, credits: 1, at: new Date() });
        return 1;
      });
      results.push(r);
      process.stderr.write(`  naive c=${concurrency} done, reading the final balance\n`);
      const final = await balances.findOne({ _id: id });
      lost = r.events - (final?.consumed ?? 0);
      attempted = r.events;
    }
    return { lost, attempted };
  } finally {
    process.stderr.write('  dropping the scratch collections\n');
    await balances.drop().catch(() => undefined);
    await ledger.drop().catch(() => undefined);
    await mongo.close();
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  console.log(`Allot bench: throwaway FerretDB + credit core over loopback gRPC, ${PHASE_MS / 1000} s per phase\n`);
  let mongo: RunningService | undefined;
  let core: CoreProcess | undefined;
  let client: CoreClient | undefined;
  const cleanUp = async (): Promise<void> => {
    client?.close();
    await core?.stop().catch(() => undefined);
    await mongo?.stop().catch(() => undefined);
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  try {
    mongo = await startTestMongo();
    process.stderr.write(`  FerretDB at ${mongo.url}\n`);
    core = await startCoreProcess({ mongodbUri: mongo.url });
    process.stderr.write(`  core at ${core.address} (log ${core.logFile})\n`);
    client = createCoreClient({ address: core.address, apiKey: core.adminKey });
    const c = client;
    const tenantId = `bench-${randomBytes(4).toString('hex')}`;
    const results: PhaseResult[] = [];
    let coreReady = true;
    try {
      await setUpTenant(c, tenantId);
    } catch (e) {
      coreReady = false;
      console.log(`tenant setup failed, core phases skipped: ${(e as Error).message}\n`);
    }

    let recordedCredits = 0;
    const runTag = randomBytes(3).toString('hex');
    if (coreReady) {
      // Warm up the channel, the core's caches and the JIT.
      await measure('warm-up', 8, WARMUP_MS, async (w, i) => {
        await c.consumption.recordConsumption(event(tenantId, `warm-${runTag}-${w}-${i}`, 1));
        recordedCredits += 1;
        return 1;
      });
      for (const concurrency of [1, 64]) {
        results.push(
          await measure('RecordConsumption (1 event/call)', concurrency, PHASE_MS, async (w, i) => {
            const res = await c.consumption.recordConsumption(event(tenantId, `rc${concurrency}-${runTag}-${w}-${i}`, 1));
            if (!res.duplicate) recordedCredits += res.credits;
            return 1;
          }),
        );
      }
      results.push(
        await measure(`RecordConsumptionBatch (${BATCH_SIZE}/call)`, 8, PHASE_MS, async (w, i) => {
          const events = Array.from({ length: BATCH_SIZE }, (_, j) => event(tenantId, `b-${runTag}-${w}-${i}-${j}`, 1));
          const res = await c.consumption.recordConsumptionBatch({ events });
          for (const item of res.results) if (item.result && !item.result.duplicate) recordedCredits += item.result.credits;
          return BATCH_SIZE;
        }),
      );
      const access = { tenantId, environmentId: ENV_ID, userId: 'bench-user', operation: Operation.OPERATION_RUN };
      for (const concurrency of [1, 64]) {
        results.push(
          await measure('CheckAccess', concurrency, PHASE_MS / 2, async () => {
            await c.consumption.checkAccess(access);
            return 0;
          }),
        );
      }
      results.push(
        await measure('GetBalance (environment)', 64, PHASE_MS / 2, async () => {
          await c.reporting.getBalance({ tenantId, environmentId: ENV_ID, userId: '', period: '' });
          return 0;
        }),
      );
    }

    const naive = await naiveBaseline(mongo.url, results);

    console.log('');
    printTable(results);
    console.log('');

    const find = (name: string, conc: number) => results.find((r) => r.name.startsWith(name) && r.concurrency === conc);
    const rate = (r: PhaseResult | undefined) => (r && r.calls > 0 ? r.events / r.seconds : Number.NaN);
    const naiveMax = rate(find('naive', NAIVE_MAX_CONCURRENCY));
    const naive1 = rate(find('naive', 1));
    const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${fmt(a / b, 1)}x` : '-');
    console.log('Ratios (events/s, same run, same FerretDB):');
    const n = NAIVE_MAX_CONCURRENCY;
    console.log(`  RecordConsumption c=64 (group commit) vs naive RMW c=${n}:   ${ratio(rate(find('RecordConsumption (', 64)), naiveMax)}`);
    console.log(`  RecordConsumption c=1 vs naive RMW c=1:                   ${ratio(rate(find('RecordConsumption (', 1)), naive1)}`);
    console.log(`  RecordConsumptionBatch (${BATCH_SIZE}/call) vs naive RMW c=${n}:       ${ratio(rate(find('RecordConsumptionBatch', 8)), naiveMax)}`);
    console.log(`  RecordConsumption c=64 vs c=1 (grouping gain):            ${ratio(rate(find('RecordConsumption (', 64)), rate(find('RecordConsumption (', 1)))}`);
    console.log(
      `  naive RMW c=${n} lost updates: ${fmt(naive.lost)} of ${fmt(naive.attempted)} increments ` +
        `(read-modify-write without a transaction is not safe under concurrency)`,
    );
    if (coreReady) {
      try {
        const bal = await c.reporting.getBalance({ tenantId, environmentId: ENV_ID, userId: '', period: '' });
        const ok = bal.consumed === recordedCredits;
        console.log(`  core consistency: GetBalance consumed ${fmt(bal.consumed)} vs acknowledged ${fmt(recordedCredits)}: ${ok ? 'exact' : 'MISMATCH'}`);
      } catch (e) {
        console.log(`  core consistency: GetBalance failed: ${(e as Error).message}`);
      }
    }
    console.log(`\nbench finished in ${fmt((performance.now() - t0) / 1000, 1)} s`);
  } finally {
    await cleanUp();
  }
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(`bench failed: ${e.stack ?? e.message}`);
    process.exit(1);
  },
);
