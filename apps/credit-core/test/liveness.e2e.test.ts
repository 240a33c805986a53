/**
 * Liveness: the core reaches the database through a TCP proxy the test can cut. While the database is away every
 * call that needs it answers UNAVAILABLE (retryable), never INTERNAL and never a hang; once it is back the tenant
 * recovers by itself (no queue stays stuck) and retries count every event once. SIGTERM ends the process within
 * 10 s, with the database away too, and what was acknowledged before it is kept.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { MongoClient } from 'mongodb';
import { CoreCallError, createCoreClient, type CoreClient } from '@allot/grpc-client';
import { eventually, startCoreProcess, startTestMongo, type RunningService } from '@allot/testing';
import { freePort } from '@allot/local-services';
import type { RecordConsumptionRequest } from '@allot/contracts';
import { creditEvent, tenantWith } from './support/builders';

const ADMIN_KEY = 'liveness-e2e-admin-key-0123456789';

/** A TCP proxy to the database that can be cut (every connection dropped, new ones refused) and restored. */
class CuttableProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private up = true;

  constructor(
    readonly port: number,
    private readonly target: number,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      if (!this.up) {
        client.destroy();
        return;
      }
      const upstream = connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
  }

  cut(): void {
    this.up = false;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.up = true;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

async function codeOf(p: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof CoreCallError) return e.code;
    throw e;
  }
}

describe('liveness: database away, write failures, SIGTERM', () => {
  let mongo: RunningService;
  let proxy: CuttableProxy;
  beforeAll(async () => {
    mongo = await startTestMongo();
    proxy = new CuttableProxy(await freePort(), mongo.port);
    await proxy.start();
  });
  afterAll(async () => {
    await proxy?.stop();
    await mongo?.stop();
  });

  it('answers UNAVAILABLE while the database is away, recovers when it is back, and stops within 10 s', { timeout: 300_000 }, async () => {
    const url = new URL(mongo.url);
    url.port = String(proxy.port);
    const core = await startCoreProcess({ mongodbUri: url.toString(), env: { CREDIT_CORE_ADMIN_KEY: ADMIN_KEY } });
    const admin: CoreClient = createCoreClient({ address: core.address, apiKey: ADMIN_KEY });
    try {
      await tenantWith(admin, 'live', 100_000, { timeZone: 'UTC' });
      const at = new Date(Date.now() - 60_000);
      const ev = (i: number): RecordConsumptionRequest => creditEvent({ tenantId: 'live', idempotencyKey: `live-${i}`, credits: 10, occurredAt: at });
      for (let i = 0; i < 5; i++) await admin.consumption.recordConsumption(ev(i));

      // Cut while nothing is in flight: FerretDB 1.24 can wedge (no longer answer hello) when clients vanish in
      // the middle of its commands, which would test FerretDB, not the core. So first the projections are written.
      const direct = await MongoClient.connect(mongo.url);
      await eventually(async () => (await direct.db().collection('ledger_journal').countDocuments({ tenantId: 'live' })) === 0, 'the journal emptied');
      await direct.close();
      await new Promise((r) => setTimeout(r, 200));
      // The database goes away: writes (and reads that need it) are refused as retryable, quickly.
      proxy.cut();
      const cutAt = Date.now();
      const codes: Array<number | 'ok'> = [];
      for (let i = 5; i < 10; i++) codes.push(await codeOf(admin.consumption.recordConsumption(ev(i), { timeoutMs: 30_000 })));
      codes.push(await codeOf(admin.consumption.recordConsumptionBatch({ events: [ev(10), ev(11)] }, { timeoutMs: 30_000 })));
      codes.push(await codeOf(admin.admin.setAllocation({ tenantId: 'live', environmentId: 'prod', credits: 50_000 }, { timeoutMs: 30_000 })));
      codes.push(await codeOf(admin.reporting.getUsageReport({ tenantId: 'live', period: '', groupBy: 1, environmentId: '', limit: 0 }, { timeoutMs: 30_000 })));
      console.log(`liveness: with the database away, ${codes.length} calls answered ${JSON.stringify(codes)} in ${Date.now() - cutAt} ms`);
      expect(codes.filter((c) => c !== 'ok' && c !== status.UNAVAILABLE)).toEqual([]);
      expect(codes.filter((c) => c === status.UNAVAILABLE).length).toBeGreaterThan(0);

      // Back: the same calls succeed again without a restart; every event counts once.
      proxy.restore();
      const backAt = Date.now();
      await eventually(async () => (await codeOf(admin.consumption.recordConsumption(ev(5), { timeoutMs: 30_000 }))) === 'ok', 'a write after the database came back');
      console.log(`liveness: first write ${Date.now() - backAt} ms after the database came back`);
      const retried = await admin.consumption.recordConsumptionBatch({ events: Array.from({ length: 12 }, (_, i) => ev(i)) }, { timeoutMs: 30_000 });
      expect(retried.results.every((r) => r.result !== undefined)).toBe(true);
      expect((await admin.reporting.getBalance({ tenantId: 'live', environmentId: '', userId: '', period: '' })).consumed).toBe(120);

      // SIGTERM with writes in flight: the process ends within 10 s, and what was acknowledged stays.
      let acked = 0;
      let sending = true;
      const writer = (async () => {
        for (let i = 100; sending; i++) {
          if ((await codeOf(admin.consumption.recordConsumption(ev(i), { timeoutMs: 10_000 }))) === 'ok') acked = i - 99;
          else return;
        }
      })();
      await eventually(() => acked >= 20, 'writes in flight');
      const stopping = Date.now();
      await core.stop();
      const stopMs = Date.now() - stopping;
      sending = false;
      await writer;
      expect(stopMs).toBeLessThan(10_000);
      await core.restart();
      // The client's channel reconnects to the restarted core on its own schedule: asked until it answers.
      const balance = await eventually(async () => (await admin.reporting.getBalance({ tenantId: 'live', environmentId: '', userId: '', period: '' })).consumed, 'a balance after the restart');
      expect(balance).toBeGreaterThanOrEqual(120 + acked * 10);

      // SIGTERM while the database is away: still within 10 s.
      proxy.cut();
      const awayStopping = Date.now();
      await core.stop();
      const awayStopMs = Date.now() - awayStopping;
      console.log(`liveness: SIGTERM with writes in flight took ${stopMs} ms, with the database away ${awayStopMs} ms`);
      expect(awayStopMs).toBeLessThan(10_000);
      proxy.restore();
    } finally {
      admin.close();
      await core.stop().catch(() => undefined);
    }
  });
});
