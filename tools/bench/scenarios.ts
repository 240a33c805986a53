/**
 * The throughput scenarios, driven by ghz against one core, and the storage ceilings B and C measured with the
 * driver on the same database right after them; each write scenario ends with its exactness check.
 */
import type { Db, Document } from 'mongodb';
import type { CoreClient } from '@allot/grpc-client';
import { CheckAccessRequest, Operation } from '@allot/contracts';
import { rawInsertMany, rawInsertOne } from './ceilings';
import { checkExact, ledgerCollections } from './exactness';
import { runGhz, type GhzContext, type GhzRun } from './ghz';
import { NAMES, type ExactnessCheck, type Measurement } from './results';
import {
  BATCH,
  createManyTenants,
  createTenant,
  envId,
  expectedManyTenants,
  manyTenantBatch,
  singleBatchCredits,
  singleTenantBatch,
  unaryEvent,
} from './workload';

export interface ThroughputOptions {
  readonly run: string;
  /** Seconds per measured phase. */
  readonly phaseS: number;
  /** The fixed rate of the latency comparison, calls/s. */
  readonly fixedRps: number;
  /** Concurrency of the batch scenarios and of ceiling B. */
  readonly batchConcurrency: number;
  /** Environments of each of the 100 tenants. */
  readonly envsPerTenant: number;
}

export interface Target {
  readonly address: string;
  readonly apiKey: string;
}

const CALL = {
  ping: 'credits.v1.MaintenanceService.Ping',
  record: 'credits.v1.ConsumptionService.RecordConsumption',
  batch: 'credits.v1.ConsumptionService.RecordConsumptionBatch',
  check: 'credits.v1.ConsumptionService.CheckAccess',
  balance: 'credits.v1.ReportingService.GetBalance',
} as const;

/** The tenants every scenario writes to, created before anything is measured. */
export async function setUpTenants(admin: CoreClient, run: string, envs: number): Promise<{ one: string; unary: string; many: string[] }> {
  const one = `b1-${run}`;
  const unary = `u-${run}`;
  process.stderr.write(`  setting up tenants: 2 with one environment, 100 with ${envs} environments each\n`);
  await createTenant(admin, one, 1);
  await createTenant(admin, unary, 1);
  const many = await createManyTenants(admin, run, envs);
  // Load every tenant into the core once, so no measured call pays for a first load.
  for (const t of [one, unary, ...many]) {
    await admin.consumption.checkAccess(CheckAccessRequest.fromPartial({ tenantId: t, environmentId: envId(0), userId: 'u1', operation: Operation.OPERATION_RUN }), { timeoutMs: 60_000 });
  }
  return { one, unary, many };
}

export async function runThroughput(
  ctx: GhzContext,
  core: Target,
  db: Db,
  admin: CoreClient,
  opts: ThroughputOptions,
): Promise<{ measurements: Measurement[]; checks: ExactnessCheck[] }> {
  const tenants = await setUpTenants(admin, opts.run, opts.envsPerTenant);
  const ms: Measurement[] = [];
  const checks: ExactnessCheck[] = [];
  const ghz = async (r: Omit<GhzRun, 'address' | 'apiKey'>): Promise<Measurement> => {
    const m = await runGhz(ctx, { ...r, address: core.address, apiKey: core.apiKey });
    ms.push(m);
    return m;
  };
  const access = JSON.stringify({ tenantId: tenants.unary, environmentId: envId(0), userId: 'u1', operation: 'OPERATION_RUN' });
  const balance = JSON.stringify({ tenantId: tenants.unary, environmentId: envId(0) });

  // Warm-up (not reported): channel, JIT, the core's caches.
  const warmS = Math.min(2, opts.phaseS);
  await runGhz(ctx, { name: 'warm-up', call: CALL.ping, address: core.address, apiKey: core.apiKey, data: '{}', concurrency: 8, durationS: warmS, eventsPerCall: 0 });
  await runGhz(ctx, { name: 'warm-up check', call: CALL.check, address: core.address, apiKey: core.apiKey, data: access, concurrency: 8, durationS: warmS, eventsPerCall: 0 });

  await ghz({ name: NAMES.ping, call: CALL.ping, data: '{}', concurrency: 64, durationS: opts.phaseS, eventsPerCall: 0 });
  await ghz({ name: NAMES.check, call: CALL.check, data: access, concurrency: 64, durationS: opts.phaseS, eventsPerCall: 0 });
  await ghz({ name: NAMES.balance, call: CALL.balance, data: balance, concurrency: 64, durationS: opts.phaseS, eventsPerCall: 0 });
  const fixed = { concurrency: 64, durationS: opts.phaseS, rps: opts.fixedRps, eventsPerCall: 0 };
  await ghz({ name: NAMES.pingFixed, call: CALL.ping, data: '{}', ...fixed });
  await ghz({ name: NAMES.checkFixed, call: CALL.check, data: access, ...fixed });
  await ghz({ name: NAMES.balanceFixed, call: CALL.balance, data: balance, ...fixed });

  const unary = await ghz({ name: NAMES.unary, call: CALL.record, data: unaryEvent(tenants.unary, 'un'), concurrency: 64, durationS: opts.phaseS });
  checks.push(
    await checkExact(db, admin, NAMES.unary, [tenants.unary], unary.errors === 0 ? { events: unary.calls, credits: unary.calls } : null),
  );

  const batch = { concurrency: opts.batchConcurrency, durationS: opts.phaseS, eventsPerCall: BATCH, timeoutS: 60 };
  const one = await ghz({ name: NAMES.batch1, call: CALL.batch, data: singleTenantBatch(tenants.one, 'b1'), ...batch });
  checks.push(
    await checkExact(db, admin, NAMES.batch1, [tenants.one], one.errors === 0 ? { events: one.calls * BATCH, credits: one.calls * singleBatchCredits() } : null),
  );
  // The ceilings, on the same database, with a document the core wrote as the shape.
  let ledger = '';
  let template: Document | null = null;
  for (const name of await ledgerCollections(db)) {
    template = await db.collection(name).findOne({ tenantId: tenants.one });
    ledger = name;
    if (template !== null) break;
  }
  if (template === null) throw new Error('no ledger document to take the shape from');
  ms.push(await rawInsertMany(db, ledger, template, NAMES.rawInsertMany, { concurrency: opts.batchConcurrency, seconds: opts.phaseS, batch: BATCH }));
  ms.push(await rawInsertOne(db, ledger, template, NAMES.rawInsertOne, { concurrency: 64, seconds: opts.phaseS }));

  // Last: on FerretDB the core may still be writing this scenario's projections long after it (see docs/benchmark.md).
  const envs = (100 * opts.envsPerTenant).toLocaleString('en-US');
  const manyName = `${NAMES.batch100}, ${envs} environments, 5% duplicates`;
  const many = await ghz({ name: manyName, call: CALL.batch, data: manyTenantBatch(opts.run, 'bm', opts.envsPerTenant), ...batch });
  const want = expectedManyTenants(many.calls);
  const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  checks.push(
    await checkExact(db, admin, `${manyName} (unique keys)`, tenants.many, many.errors === 0 ? { events: sum(want.events), credits: sum(want.credits) } : null),
  );

  return { measurements: ms, checks };
}
