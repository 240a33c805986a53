/**
 * Allot benchmark (`npm run bench`): a throwaway FerretDB and a real credit core process, load from ghz (the Go
 * gRPC load generator, built once into ~/.cache/allot/bin), and in the same run the ceilings every result is
 * compared with:
 *   A  a no-op RPC (MaintenanceService.Ping) on the same server behind the same authentication;
 *   B  raw driver insertMany of ledger-shaped documents, 1,000 a call, at the batch scenarios' concurrency;
 *   C  raw driver insertOne, one document per event, at concurrency 64.
 * Then the core at scale (RSS and restart to first answer with 1,000 ... 1,000,000 ledger events), three replicas
 * on one database, an exactness check after every write scenario, CPU profiles of the core for every target
 * missed, bench/results/latest.json and the README's performance section. See docs/benchmark.md.
 *
 * Environment: BENCH_QUICK=1 (about a minute), BENCH_PROFILE=0|1 (default: on in the full run), MONGODB_URI (a
 * real MongoDB instead of FerretDB), BENCH_SEED_BUDGET_S (longest seeding of one scale size through the API, default
 * 120 s: on FerretDB the 1,000,000-event point needs about 600 s, so it is measured only when this is raised).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { createCoreClient } from '@allot/grpc-client';
import { startCoreProcess, startTestMongo, type CoreProcess, type RunningService } from '@allot/testing';
import { ensureGhz, GHZ, type GhzContext } from './ghz';
import { profileTargets } from './profile-run';
import { runReplicas } from './replicas';
import { machine, printResults, targets, writeResults, type BenchResults, type ReplicaRun } from './results';
import { runScale } from './scale';
import { runThroughput } from './scenarios';
import { updateReadme } from './readme';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const QUICK = process.env['BENCH_QUICK'] === '1';
const PROFILE = process.env['BENCH_PROFILE'] === undefined ? !QUICK : process.env['BENCH_PROFILE'] === '1';

/**
 * FerretDB 1.24 holds two PostgreSQL connections for some commands (an update: one for its transaction, one
 * inside it), so it deadlocks for ever once more than half its pool's worth of commands run at once (seen here
 * with a pool of 12 and 10 driver connections: the 100-tenant scenario hung every tenant for 20 s and more).
 * The bench's FerretDB therefore gets a pool of 64 PostgreSQL connections, and every client of it at most
 * `maxPoolSize` driver connections such that all of them together stay within half of it: the core and the
 * bench's own driver 10 each (the ceilings use the same 10 as the core), each of the three replicas 6.
 */
const FERRET_POOL = 64;
const withPool = (url: string, maxPoolSize = 10): string => {
  const u = new URL(url);
  if (!u.searchParams.has('maxPoolSize')) u.searchParams.set('maxPoolSize', String(maxPoolSize));
  return u.toString();
};

const seedBudget = Number(process.env['BENCH_SEED_BUDGET_S'] ?? '');
const config = QUICK
  ? { phaseS: 2, fixedRps: 2_000, batchConcurrency: 4, envsPerTenant: 5, sizes: [1_000, 10_000], answerLimitS: 30, seedBudgetS: 20, replicaS: 2, profileS: 4 }
  : { phaseS: 8, fixedRps: 2_000, batchConcurrency: 4, envsPerTenant: 100, sizes: [1_000, 10_000, 100_000, 1_000_000], answerLimitS: 60, seedBudgetS: seedBudget > 0 ? seedBudget : 300, replicaS: 8, profileS: 6 };

async function main(): Promise<void> {
  const t0 = performance.now();
  const log = (line: string) => process.stderr.write(`  ${line}\n`);
  console.log(`Allot bench${QUICK ? ' (quick)' : ''}: throwaway FerretDB, credit core over loopback gRPC, load from ghz ${GHZ.version}\n`);
  const ghzBinary = ensureGhz(log);
  const workDir = mkdtempSync(join(tmpdir(), 'allot-bench-'));
  const ctx: GhzContext = { ghz: ghzBinary, protoset: join(root, 'libs/contracts/src/gen/credits.binpb'), workDir };
  const run = randomBytes(3).toString('hex');
  let mongo: RunningService | undefined;
  let core: CoreProcess | undefined;
  let driver: MongoClient | undefined;
  const cleanUp = async (): Promise<void> => {
    await core?.stop().catch(() => undefined);
    await driver?.close().catch(() => undefined);
    await mongo?.stop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  try {
    mongo = await startTestMongo({ poolMaxConns: FERRET_POOL });
    const dbUrl = withPool(mongo.url);
    log(`database at ${dbUrl}`);
    core = await startCoreProcess({ mongodbUri: dbUrl });
    log(`core at ${core.address} (log ${core.logFile})`);
    driver = new MongoClient(dbUrl, { serverSelectionTimeoutMS: 10_000, socketTimeoutMS: 180_000 });
    await driver.connect();
    const db = driver.db();
    const admin = createCoreClient({ address: core.address, apiKey: core.adminKey });
    let throughput: Awaited<ReturnType<typeof runThroughput>>;
    try {
      throughput = await runThroughput(ctx, { address: core.address, apiKey: core.adminKey }, db, admin, { run, ...config });
    } finally {
      admin.close();
    }
    // Scale and replicas get a database and core of their own: the throughput scenarios may leave the first busy.
    await core.stop();
    core = undefined;
    await driver.close();
    await mongo.stop();
    mongo = await startTestMongo({ poolMaxConns: FERRET_POOL });
    const dbUrl2 = withPool(mongo.url);
    core = await startCoreProcess({ mongodbUri: dbUrl2 });
    driver = new MongoClient(dbUrl2, { serverSelectionTimeoutMS: 10_000, socketTimeoutMS: 180_000 });
    await driver.connect();
    const db2 = driver.db();
    const scale = await runScale(core, db2, { sizes: config.sizes, answerLimitS: config.answerLimitS, seedBudgetS: config.seedBudgetS, run });
    const measured = new Set(scale.points.map((p) => p.ledgerEvents));
    for (const size of config.sizes) {
      if (!measured.has(size)) log(`scale ${size}: not measured (a smaller history already gave no answer in time)`);
    }
    await core.stop();
    core = undefined;

    let replicas: ReplicaRun | null = null;
    try {
      replicas = await runReplicas(ctx, withPool(mongo.url, 6), db2, { replicas: 3, durationS: config.replicaS, concurrencyEach: 2, run });
    } catch (e) {
      log(`three replicas failed to run: ${(e as Error).message}`);
    }

    const checks = [...throughput.checks, ...scale.checks];
    const exact = checks.every((c) => c.exact);
    const ratios = targets(throughput.measurements, exact);
    // A quick run never replaces the committed results of a full run.
    const file = join(root, `bench/results/${QUICK ? 'quick' : 'latest'}.json`);
    mkdirSync(dirname(file), { recursive: true });
    const result = (profiles: string[]): BenchResults => ({
      date: new Date().toISOString(),
      quick: QUICK,
      machine: machine(),
      ghz: GHZ.version,
      durationS: (performance.now() - t0) / 1000,
      measurements: throughput.measurements,
      ratios,
      scale: scale.points,
      replicas,
      exactness: checks,
      profiles,
    });
    // Written before profiling too, so a run stopped while profiling keeps its measurements.
    writeResults(file, result([]));
    const profiles = PROFILE
      ? await profileTargets(ctx, dbUrl2, ratios, { run, seconds: config.profileS, batchConcurrency: config.batchConcurrency, envsPerTenant: config.envsPerTenant, dir: join(root, 'bench/results/profiles') })
      : [];
    const results = result(profiles);
    console.log('');
    printResults(results);
    for (const line of profiles) console.log(line);
    writeResults(file, results);
    if (!QUICK) writeResults(join(root, `bench/results/${results.date.replace(/[:.]/g, '-')}.json`), results);
    console.log(`\nwrote ${file}`);
    if (!QUICK) console.log(updateReadme(join(root, 'README.md'), results) ? 'README performance section regenerated' : 'README has no bench markers');
    console.log(`bench finished in ${results.durationS.toFixed(0)} s`);
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
