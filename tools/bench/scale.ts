/**
 * The core at scale (the core-at-scale issue): for tenants with 1,000 ... 1,000,000 ledger events, the core's RSS
 * and the time from a restart to the first answer for that tenant.
 *
 * Seeding: each tenant's first 1,000 events go through the API (RecordConsumptionBatch), so they are exactly what
 * the core writes; the rest are clones of those documents (new key, _id and seq, same content) inserted with the
 * driver, because the API would take far longer than the bench may. The core then sees a ledger ahead of its
 * projections, as after a crash, and repairs them on the tenant's first load; that load is done (and checked
 * for exactness) before the measured restart.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Db, Document } from 'mongodb';
import { Operation, RecordConsumptionRequest } from '@allot/contracts';
import { createCoreClient, type CoreClient } from '@allot/grpc-client';
import type { CoreProcess } from '@allot/testing';
import { checkExact } from './exactness';
import { cloneLedgerDoc } from './ceilings';
import type { ExactnessCheck, ScalePoint } from './results';
import { BATCH, createTenant, creditsOf, envId } from './workload';

export interface ScaleOptions {
  readonly sizes: readonly number[];
  /** Longest wait for an answer after a restart (and for the repairing first load). */
  readonly answerLimitS: number;
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

/** Writes `size` events for `tenantId`: the first 1,000 through the API, the rest as clones. Returns the credits. */
async function seed(client: CoreClient, db: Db, tenantId: string, size: number): Promise<number> {
  const viaApi = Math.min(size, BATCH);
  const events = Array.from({ length: viaApi }, (_, j) =>
    RecordConsumptionRequest.fromPartial({
      tenantId,
      environmentId: envId(0),
      userId: `u${j % 10}`,
      idempotencyKey: `seed-${j}`,
      operation: Operation.OPERATION_RUN,
      credits: creditsOf(j),
    }),
  );
  const res = await client.consumption.recordConsumptionBatch({ events }, { timeoutMs: 120_000 });
  const failed = res.results.find((r) => r.error);
  if (failed?.error) throw new Error(`seeding ${tenantId} through the API failed: ${failed.error.message}`);
  let credits = events.reduce((sum, e) => sum + (e.credits ?? 0), 0);
  if (size <= viaApi) return credits;
  const templates = await db.collection('ledger').find({ tenantId }).sort({ seq: 1 }).toArray();
  const maxSeq = Math.max(...templates.map((d) => Number(d['seq'])));
  const ledger = db.collection<Document>('ledger');
  const chunks: Array<[number, number]> = [];
  for (let from = viaApi; from < size; from += BATCH) chunks.push([from, Math.min(size, from + BATCH)]);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < chunks.length) {
        const [from, to] = chunks[next++] as [number, number];
        const docs: Document[] = [];
        for (let i = from; i < to; i++) {
          const template = templates[i % templates.length] as Document;
          docs.push(cloneLedgerDoc(template, tenantId, `seed-${i}`, maxSeq + (i - viaApi) + 1));
        }
        await ledger.insertMany(docs, { ordered: false });
      }
    }),
  );
  for (let i = viaApi; i < size; i++) credits += Number((templates[i % templates.length] as Document)['credits']);
  process.stderr.write(`  seeded ${tenantId}: ${size} events (${size - viaApi} cloned in ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  return credits;
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
          .checkAccess({ tenantId, environmentId: envId(0), userId: 'u1', operation: Operation.OPERATION_RUN }, { timeoutMs: left * 1000 })
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
 * For each size, ascending: create and seed a tenant, let the core load (and repair) it, check exactness, then
 * restart the core and measure. Stops at the first size the core cannot answer within the limit.
 */
export async function runScale(
  core: CoreProcess,
  db: Db,
  opts: ScaleOptions,
): Promise<{ points: ScalePoint[]; checks: ExactnessCheck[] }> {
  const points: ScalePoint[] = [];
  const checks: ExactnessCheck[] = [];
  for (const size of opts.sizes) {
    const tenantId = `scale-${opts.run}-${size}`;
    const admin = createCoreClient({ address: core.address, apiKey: core.adminKey });
    let credits: number;
    try {
      await createTenant(admin, tenantId, 1);
      credits = await seed(admin, db, tenantId, size);
      process.stderr.write(`  scale ${size}: first load (repairs the projections of the cloned events)\n`);
      const loaded = await firstAnswer(core.address, core.adminKey, tenantId, opts.answerLimitS);
      if (loaded === null) {
        points.push({ ledgerEvents: size, rssMb: null, rssIdleMb: null, listenS: Number.NaN, firstAnswerS: null, note: `first load after seeding gave no answer within ${opts.answerLimitS} s` });
        break;
      }
      checks.push(await checkExact(db, admin, `scale: tenant with ${size.toLocaleString('en-US')} events`, [tenantId], { events: size, credits }));
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
