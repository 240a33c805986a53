/**
 * The core at scale (the core-at-scale issue): for tenants with 1,000 ... 1,000,000 ledger events, the core's RSS
 * and the time from a restart to the first answer for that tenant.
 *
 * Seeding goes through the API (RecordConsumptionBatch, 1,000 a call, 4 at a time), so the documents are exactly
 * what the core writes (whatever its storage layout); a size whose seeding would exceed the budget at the rate
 * seen so far is reported as not seeded rather than faked with raw inserts.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Db } from 'mongodb';
import { CheckAccessRequest, Operation, RecordConsumptionRequest } from '@allot/contracts';
import { createCoreClient, type CoreClient } from '@allot/grpc-client';
import type { CoreProcess } from '@allot/testing';
import { checkExact, projectedCredits } from './exactness';
import type { ExactnessCheck, ScalePoint } from './results';
import { BATCH, createTenant, creditsOf, envId } from './workload';

export interface ScaleOptions {
  readonly sizes: readonly number[];
  /** Longest wait for an answer after a restart (and for the repairing first load). */
  readonly answerLimitS: number;
  /** Longest seeding of one size, estimated from the rate of the sizes before. */
  readonly seedBudgetS: number;
  readonly run: string;
}

/** RSS (MB) of the Node.js process the launcher `pid` started. */
export function coreRssMb(groupPid: number): number | null {
  try {
    const children = readFileSync(`/proc/${groupPid}/task/${groupPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    let kb = 0;
    for (const child of children) {
      const status = readFileSync(`/proc/${child}/status`, 'utf8');
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    }
    return kb > 0 ? kb / 1024 : null;
  } catch {
    return null;
  }
}

function withLimit<T>(p: Promise<T>, seconds: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), seconds * 1000);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/** Writes `size` events for `tenantId` through the API (batches of 1,000, 4 at a time). Returns the credits. */
async function seed(client: CoreClient, tenantId: string, size: number): Promise<number> {
  const calls = Math.ceil(size / BATCH);
  let next = 0;
  let credits = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < calls) {
        const c = next++;
        const events = [];
        for (let i = c * BATCH; i < Math.min(size, (c + 1) * BATCH); i++) {
          events.push(
            RecordConsumptionRequest.fromPartial({
              tenantId,
              environmentId: envId(0),
              userId: `u${i % 10}`,
              idempotencyKey: `seed-${i}`,
              operation: Operation.OPERATION_RUN,
              credits: creditsOf(i),
            }),
          );
        }
        const res = await client.consumption.recordConsumptionBatch({ events }, { timeoutMs: 120_000 });
        const failed = res.results.find((r) => r.error);
        if (failed?.error) throw new Error(`seeding ${tenantId} failed: ${failed.error.message}`);
        credits += events.reduce((sum, e) => sum + (e.credits ?? 0), 0);
      }
    }),
  );
  process.stderr.write(`  seeded ${tenantId}: ${size} events in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return credits;
}

/**
 * Largest tenant whose ledger the scale check reads back: FerretDB returns about 6,000 ledger documents a second,
 * so reading 1,000,000 would take three minutes of the bench's ten. Above it the core's balance is compared with
 * what the acknowledged calls carried (the throughput scenarios read their whole ledgers).
 */
const LEDGER_READ_MAX = 100_000;

async function checkBalanceOnly(client: CoreClient, scenario: string, tenantId: string, events: number, credits: number): Promise<ExactnessCheck> {
  process.stderr.write(`  exactness: ${scenario} (GetBalance only)\n`);
  const projected = await projectedCredits(client, tenantId);
  return {
    scenario,
    expectedEvents: events,
    ledgerEvents: Number.NaN,
    expectedCredits: credits,
    ledgerCredits: Number.NaN,
    projectedCredits: projected,
    exact: projected === credits,
    detail: `ledger not read back (over ${LEDGER_READ_MAX.toLocaleString('en-US')} documents); GetBalance vs the acknowledged calls${projected === credits ? '' : `: ${projected} vs ${credits}`}`,
  };
}

/** The first answer for a tenant: CheckAccess, retried while the core is not ready. */
async function firstAnswer(address: string, apiKey: string, tenantId: string, limitS: number): Promise<number | null> {
  const client = createCoreClient({ address, apiKey });
  const t0 = performance.now();
  try {
    for (;;) {
      const left = limitS - (performance.now() - t0) / 1000;
      if (left <= 0) return null;
      const r = await withLimit(
        client.consumption
          .checkAccess(CheckAccessRequest.fromPartial({ tenantId, environmentId: envId(0), userId: 'u1', operation: Operation.OPERATION_RUN }), { timeoutMs: left * 1000 })
          .then(() => 'ok' as const, (e: Error) => e),
        left,
      );
      if (r === 'ok') return (performance.now() - t0) / 1000;
      if (r === 'timeout') return null;
    }
  } finally {
    client.close();
  }
}

/**
 * For each size, ascending: create and seed a tenant through the API, check exactness, then restart the core
 * and measure. Stops at the first size the core cannot answer within the limit, or whose seeding would take
 * longer than the seeding budget at the rate seen so far.
 */
export async function runScale(
  core: CoreProcess,
  db: Db,
  opts: ScaleOptions,
): Promise<{ points: ScalePoint[]; checks: ExactnessCheck[] }> {
  const points: ScalePoint[] = [];
  const checks: ExactnessCheck[] = [];
  let rate = Number.POSITIVE_INFINITY;
  for (const size of opts.sizes) {
    if (size / rate > opts.seedBudgetS) {
      points.push({
        ledgerEvents: size,
        rssMb: null,
        rssIdleMb: null,
        listenS: Number.NaN,
        firstAnswerS: null,
        note: `not seeded: ${Math.round(size / rate)} s through the API at ${Math.round(rate)} events/s, budget ${opts.seedBudgetS} s`,
      });
      continue;
    }
    const tenantId = `scale-${opts.run}-${size}`;
    const admin = createCoreClient({ address: core.address, apiKey: core.adminKey });
    let credits: number;
    try {
      await createTenant(admin, tenantId, 1);
      const s0 = performance.now();
      credits = await seed(admin, tenantId, size);
      rate = size / ((performance.now() - s0) / 1000);
      const scenario = `scale: tenant with ${size.toLocaleString('en-US')} events`;
      checks.push(size <= LEDGER_READ_MAX ? await checkExact(db, admin, scenario, [tenantId], { events: size, credits }) : await checkBalanceOnly(admin, scenario, tenantId, size, credits));
    } finally {
      admin.close();
    }
    await core.stop();
    const t0 = performance.now();
    await core.restart();
    const listenS = (performance.now() - t0) / 1000;
    const rssIdleMb = coreRssMb(core.pid);
    const answer = await firstAnswer(core.address, core.adminKey, tenantId, opts.answerLimitS);
    const firstAnswerS = answer === null ? null : listenS + answer;
    points.push({
      ledgerEvents: size,
      rssIdleMb,
      rssMb: coreRssMb(core.pid),
      listenS,
      firstAnswerS,
      ...(answer === null ? { note: `no answer within ${opts.answerLimitS} s of listening` } : {}),
    });
    process.stderr.write(`  scale ${size}: listening ${listenS.toFixed(1)} s, first answer ${firstAnswerS?.toFixed(1) ?? '-'} s, RSS ${coreRssMb(core.pid)?.toFixed(0)} MB\n`);
    if (answer === null) break;
  }
  return { points, checks };
}
