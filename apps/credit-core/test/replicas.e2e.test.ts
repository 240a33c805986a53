/**
 * Three core replicas on one database, clients calling any of them. Batches go to random replicas while one
 * replica is SIGKILLed twice (and restarted), and clients retry failures with the same idempotency keys. The tenant
 * has one owner at a time (a lease with a fencing token); the others forward its calls there. Afterwards every
 * replica reports the exact totals, the ledger holds every event once, and CheckAccess agrees everywhere. Reads
 * made during the run never miss a write acknowledged before they started.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { status } from '@grpc/grpc-js';
import { CoreCallError, createCoreClient, type CoreClient } from '@allot/grpc-client';
import { startCoreProcess, startTestMongo, type CoreProcess, type RunningService } from '@allot/testing';
import { Operation, UsageGroupBy, type RecordConsumptionRequest } from '@allot/contracts';
import { creditEvent, tenantWith } from './support/builders';
import type { JournalDoc } from '../src/storage/ledger-docs';
import { journalEventsOf } from '../src/storage/journal-chunks';

const ADMIN_KEY = 'replicas-e2e-admin-key-0123456789';
const TOTAL_EVENTS = 6_000;
const CHUNK = 100;
const KILL_AT = [1_500, 3_500];
const TENANT = 'replicated';
const ENVIRONMENTS = ['prod', 'dev'] as const;

/** Codes a client sees while a replica is down or a tenant changes owner; the same call is retried. */
const TRANSIENT = new Set<number>([status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.CANCELLED, status.UNKNOWN, status.INTERNAL, status.ABORTED]);

async function withRetry<T>(fn: (attempt: number) => Promise<T>, stats: { retries: number }): Promise<T> {
  // Generous: a slow machine may need a while for a restarted replica; the test waits on answers, not on time.
  const deadline = Date.now() + 180_000;
  let delay = 25;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (!(e instanceof CoreCallError) || !TRANSIENT.has(e.code) || Date.now() > deadline) throw e;
      stats.retries++;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 400);
    }
  }
}

describe('three replicas, one database', () => {
  let mongo: RunningService;
  const cores: CoreProcess[] = [];
  const clients: CoreClient[] = [];
  const env = { CREDIT_CORE_ADMIN_KEY: ADMIN_KEY, CREDIT_CORE_TEST_CLOCK: 'false' };

  beforeAll(async () => {
    mongo = await startTestMongo();
    // One after the other: three starts at once are slow on a 2-core machine, and each waits until SERVING.
    for (let i = 0; i < 3; i++) {
      const core = await startCoreProcess({ mongodbUri: mongo.url, env });
      cores.push(core);
      clients.push(createCoreClient({ address: core.address, apiKey: ADMIN_KEY }));
    }
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    for (const core of cores) await core.stop().catch(() => undefined);
    await mongo?.stop();
  });

  it('counts every event once, on every replica, while one replica is killed twice', { timeout: 600_000 }, async () => {
    await tenantWith(clients[0] as CoreClient, TENANT, 150_000, { timeZone: 'UTC', environments: [['prod', 'Production'], ['dev', 'Dev']] });
    const occurredAt = new Date(Date.now() - 60_000);
    const runTag = Date.now().toString(36);
    const events: RecordConsumptionRequest[] = Array.from({ length: TOTAL_EVENTS }, (_, i) =>
      creditEvent({ tenantId: TENANT, idempotencyKey: `rep-${runTag}-${i}`, credits: ((i * 7_919) % 53) + 1, occurredAt, environmentId: ENVIRONMENTS[i % 2], userId: `u${i % 5}` }),
    );
    const credits = (list: readonly RecordConsumptionRequest[]) => list.reduce((a, e) => a + (e.credits ?? 0), 0);
    const expectedTotal = credits(events);
    const expectedByEnv = Object.fromEntries(ENVIRONMENTS.map((e) => [e, credits(events.filter((x) => x.environmentId === e))]));
    const stats = { retries: 0 };
    const pick = () => Math.floor(Math.random() * clients.length);

    let acknowledged = 0;
    let acknowledgedCredits = 0;
    const staleReads: string[] = [];
    let reads = 0;
    const sendChunk = async (chunk: RecordConsumptionRequest[]): Promise<void> => {
      const res = await withRetry(() => (clients[pick()] as CoreClient).consumption.recordConsumptionBatch({ events: chunk }, { timeoutMs: 15_000 }), stats);
      res.results.forEach((item, i) => {
        if (item.result === undefined) throw new Error(`event ${chunk[i]?.idempotencyKey} refused: ${JSON.stringify(item.error)}`);
        expect(item.result.credits).toBe(chunk[i]?.credits);
      });
      acknowledged += chunk.length;
      acknowledgedCredits += credits(chunk);
      // A read that starts now, on any replica, must include everything acknowledged so far.
      if (acknowledged % 500 === 0) {
        const floor = acknowledgedCredits;
        const replica = pick();
        const seen = (await withRetry(() => (clients[replica] as CoreClient).reporting.getBalance({ tenantId: TENANT, environmentId: '', userId: '', period: '' }), stats)).consumed;
        reads++;
        if (seen < floor) staleReads.push(`replica ${replica} read ${seen} after ${floor} were acknowledged`);
      }
    };

    // The replica to kill: the tenant's owner at the first kill (read from its lease).
    const raw = await MongoClient.connect(mongo.url);
    const db = raw.db();
    const ownerIndex = async (): Promise<number> => {
      const tenant = await db.collection<{ _id: string; lease?: { address: string } }>('tenants').findOne({ _id: TENANT });
      return Math.max(0, cores.findIndex((c) => c.address === tenant?.lease?.address));
    };
    let sending = true;
    let victim = -1;
    const takeovers: number[] = [];
    const killer = (async () => {
      for (const threshold of KILL_AT) {
        while (sending && acknowledged < threshold) await new Promise((r) => setTimeout(r, 10));
        if (!sending) return;
        if (victim < 0) victim = await ownerIndex();
        const wasOwner = (await ownerIndex()) === victim;
        await (cores[victim] as CoreProcess).kill();
        const killedAt = Date.now();
        // An owner that dies is replaced by another replica (clients keep calling): wait for that, then restart.
        if (wasOwner) {
          while (sending && (await ownerIndex()) === victim) await new Promise((r) => setTimeout(r, 50));
          takeovers.push(Date.now() - killedAt);
        }
        await (cores[victim] as CoreProcess).restart();
      }
    })();

    const chunks = Array.from({ length: TOTAL_EVENTS / CHUNK }, (_, c) => events.slice(c * CHUNK, (c + 1) * CHUNK));
    let next = 0;
    const started = Date.now();
    try {
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < chunks.length) await sendChunk(chunks[next++] as RecordConsumptionRequest[]);
        }),
      );
    } finally {
      sending = false;
      await killer;
    }
    console.log(`replicas: ${TOTAL_EVENTS} events in ${Date.now() - started} ms through 3 replicas, ${stats.retries} retried calls, replica ${victim} killed twice, owner replaced after ${takeovers.join(' ms, ')} ms, ${reads} reads checked`);
    expect(acknowledged).toBe(TOTAL_EVENTS);
    expect(staleReads).toEqual([]);
    expect(stats.retries).toBeGreaterThan(0);

    // Every replica answers the same, exact numbers.
    const view = async (c: CoreClient) => {
      const tenant = await withRetry(() => c.reporting.getBalance({ tenantId: TENANT, environmentId: '', userId: '', period: '' }), stats);
      const byEnv: Record<string, number> = {};
      for (const e of ENVIRONMENTS) byEnv[e] = (await withRetry(() => c.reporting.getBalance({ tenantId: TENANT, environmentId: e, userId: '', period: '' }), stats)).consumed;
      const report = await withRetry(() => c.reporting.getUsageReport({ tenantId: TENANT, period: '', groupBy: UsageGroupBy.USAGE_GROUP_BY_ENVIRONMENT, environmentId: '', limit: 0 }), stats);
      const access = await withRetry(() => c.consumption.checkAccess({ tenantId: TENANT, environmentId: 'prod', userId: 'u1', operation: Operation.OPERATION_RUN }), stats);
      return { consumed: tenant.consumed, byEnv, reportCredits: report.totalCredits, reportEvents: report.totalEvents, access: { allowed: access.allowed, stage: access.stage, remaining: access.remaining } };
    };
    const views = [];
    for (const c of clients) views.push(await view(c));
    for (const v of views) {
      expect(v).toEqual({ ...(views[0] as object), consumed: expectedTotal, byEnv: expectedByEnv, reportCredits: expectedTotal, reportEvents: TOTAL_EVENTS });
    }

    // A retry storm after the fact changes nothing, through any replica.
    const replay = await withRetry(() => (clients[pick()] as CoreClient).consumption.recordConsumptionBatch({ events: events.slice(0, 500) }), stats);
    expect(replay.results.every((r) => r.result?.duplicate === true)).toBe(true);

    // The ledger holds every event once (its partitions and the journal).
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => /^ledger_\d{4}_\d{2}$/.test(n));
    const ledger = (await Promise.all(names.map((n) => db.collection<{ _id: string; credits: number }>(n).find({ tenantId: TENANT }).toArray()))).flat();
    const journal = journalEventsOf(await db.collection<JournalDoc>('ledger_journal').find({ tenantId: TENANT }).toArray());
    const ids = new Set([...ledger.map((d) => d._id), ...journal.map((d) => d._id)]);
    expect(ids.size).toBe(TOTAL_EVENTS);
    expect(ledger.length).toBeLessThanOrEqual(TOTAL_EVENTS);
    await raw.close();
    // Nothing for Reconcile to fix.
    expect((await withRetry(() => (clients[pick()] as CoreClient).maintenance.reconcile({ tenantId: TENANT }, { timeoutMs: 60_000 }), stats)).fixes).toEqual([]);
  });
});
