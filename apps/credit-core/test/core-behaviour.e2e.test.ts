/**
 * The core's own guarantees over real gRPC against FerretDB (or MONGODB_URI): auth matrix, BadRequest details,
 * idempotency, group commit under concurrency, repair after a crash, WatchAlerts resume. The core runs in-process
 * (startCore), so a test can alter the database between two starts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, type Db } from 'mongodb';
import type { CoreClient } from '@allot/grpc-client';
import { Role, Stage, type Alert, type RecordConsumptionRequest } from '@allot/contracts';
import { eventually, refused, status, useInProcessCore } from './support/in-process-core';
import { creditEvent, tenantWith as fundedTenant } from './support/builders';

/** Fixed, so that a retry carries exactly the same content. */
const OCCURRED_AT = new Date(Date.now() - 60_000);
const ADMIN_KEY = 'core-behaviour-admin-key-0123456789';

interface LedgerRow {
  _id: string;
  tenantId: string;
  seq: number;
  environmentId: string;
  userId: string;
  credits: number;
  overageCredits: number;
}

describe('credit core behaviour', () => {
  const harness = useInProcessCore(ADMIN_KEY);
  const { client } = harness;
  let admin: CoreClient;
  beforeAll(() => {
    admin = harness.admin;
  });
  const event = (tenantId: string, key: string, credits: number, environmentId = 'prod', userId = 'u1'): RecordConsumptionRequest =>
    creditEvent({ tenantId, idempotencyKey: key, credits, occurredAt: OCCURRED_AT, environmentId, userId });
  const tenantWith = (tenantId: string, allocation: number): Promise<void> =>
    fundedTenant(admin, tenantId, allocation, { environments: [['prod', 'Production'], ['dev', 'Dev']] });

  it('enforces the auth matrix: no key, unknown key, role and tenant scope', async () => {
    await tenantWith('auth-a', 0);
    await tenantWith('auth-b', 0);
    expect((await refused(client('').admin.listTenants({}))).code).toBe(status.UNAUTHENTICATED);
    expect((await refused(client('nope-not-a-key-000').reporting.getBalance({ tenantId: 'auth-a', environmentId: '', userId: '', period: '' }))).code).toBe(status.UNAUTHENTICATED);

    const keys = Object.fromEntries(
      await Promise.all(
        (['ROLE_ADMIN', 'ROLE_INGEST', 'ROLE_READER'] as const).map(async (r) => [r, (await admin.admin.createApiKey({ tenantId: 'auth-a', role: Role[r], description: r })).apiKey] as const),
      ),
    );
    const adminA = client(keys['ROLE_ADMIN'] ?? '');
    const ingestA = client(keys['ROLE_INGEST'] ?? '');
    const readerA = client(keys['ROLE_READER'] ?? '');
    // Stored hashed: the secret appears nowhere in the database.
    const raw = await MongoClient.connect(harness.mongo.url);
    const stored = JSON.stringify(await raw.db().collection('api_keys').find({}).toArray());
    await raw.close();
    expect(stored).not.toContain(keys['ROLE_ADMIN']);

    const balanceA = { tenantId: 'auth-a', environmentId: '', userId: '', period: '' };
    for (const c of [adminA, ingestA, readerA]) expect((await c.reporting.getBalance(balanceA)).period).toMatch(/^\d{4}-\d{2}$/);
    expect((await ingestA.consumption.recordConsumption(event('auth-a', 'auth-1', 5))).credits).toBe(5);
    expect((await refused(readerA.consumption.recordConsumption(event('auth-a', 'auth-2', 5)))).code).toBe(status.PERMISSION_DENIED);
    expect((await refused(ingestA.admin.setAllocation({ tenantId: 'auth-a', environmentId: 'prod', credits: 1 }))).code).toBe(status.PERMISSION_DENIED);
    expect((await adminA.admin.setAllocation({ tenantId: 'auth-a', environmentId: 'prod', credits: 1 })).summary?.allocated).toBe(1);
    for (const c of [adminA, ingestA, readerA]) {
      expect((await refused(c.reporting.getBalance({ ...balanceA, tenantId: 'auth-b' }))).code).toBe(status.PERMISSION_DENIED);
    }
    expect((await refused(adminA.admin.createApiKey({ tenantId: '', role: Role.ROLE_ADMIN, description: '' }))).code).toBe(status.PERMISSION_DENIED);
    expect((await adminA.admin.listTenants({})).tenants.map((t) => t.tenantId)).toEqual(['auth-a']);
    // A revoked key stops working at once.
    const extra = await admin.admin.createApiKey({ tenantId: 'auth-a', role: Role.ROLE_READER, description: 'temp' });
    await admin.admin.revokeApiKey({ keyId: extra.keyId });
    expect((await refused(client(extra.apiKey).reporting.getBalance(balanceA))).code).toBe(status.UNAUTHENTICATED);
  });

  it('names the bad field in a google.rpc.BadRequest detail, events[i].field inside batches, and writes nothing', async () => {
    await tenantWith('fields', 0);
    const neg = await refused(admin.consumption.recordConsumption({ ...event('fields', 'f-1', 1), credits: -5 }));
    expect([neg.code, neg.field]).toEqual([status.INVALID_ARGUMENT, 'credits']);
    const zone = await refused(admin.admin.createTenant({ tenantId: 'zone-x', displayName: '', timeZone: 'Mars/Olympus' }));
    expect([zone.code, zone.field]).toEqual([status.INVALID_ARGUMENT, 'time_zone']);
    const period = await refused(admin.admin.getCapacity({ tenantId: 'fields', period: '2026-13' }));
    expect([period.code, period.field]).toEqual([status.INVALID_ARGUMENT, 'period']);
    const future = await refused(admin.consumption.recordConsumption({ ...event('fields', 'f-2', 1), occurredAt: new Date(Date.now() + 3_600_000) }));
    expect([future.code, future.field]).toEqual([status.INVALID_ARGUMENT, 'occurred_at']);
    const batch = await refused(
      admin.consumption.recordConsumptionBatch({
        events: [event('fields', 'b-0', 1), event('fields', 'b-1', 1), event('fields', 'b-2', 1), { ...event('fields', 'b-3', 1), credits: -1 }],
      }),
    );
    expect([batch.code, batch.field]).toEqual([status.INVALID_ARGUMENT, 'events[3].credits']);
    const unknown = await refused(admin.consumption.recordConsumption({ ...event('fields', 'f-3', 1), credits: undefined, capability: 'teleportation', quantity: 3 }));
    expect(unknown.field).toBe('capability');
    expect((await admin.reporting.getBalance({ tenantId: 'fields', environmentId: '', userId: '', period: '' })).consumed).toBe(0);
  });

  it('answers a retry with the first result (x3), refuses the key with other content, per item in batches', async () => {
    await tenantWith('idem', 10_000);
    const first = await admin.consumption.recordConsumption(event('idem', 'k-1', 700));
    for (let i = 0; i < 3; i++) {
      const again = await admin.consumption.recordConsumption(event('idem', 'k-1', 700));
      expect({ ...again, duplicate: false }).toEqual(first);
      expect(again.duplicate).toBe(true);
    }
    const conflict = await refused(admin.consumption.recordConsumption(event('idem', 'k-1', 701)));
    expect(conflict.code).toBe(status.ALREADY_EXISTS);
    const batch = await admin.consumption.recordConsumptionBatch({
      events: [event('idem', 'k-1', 700), event('idem', 'k-2', 50), event('idem', 'k-2', 50), event('idem', 'k-1', 1), event('idem', 'k-3', 5, 'nowhere')],
    });
    expect(batch.results.map((r) => r.result?.duplicate ?? r.error?.code)).toEqual([true, false, true, status.ALREADY_EXISTS, status.NOT_FOUND]);
    expect((await admin.reporting.getBalance({ tenantId: 'idem', environmentId: 'prod', userId: '', period: '' })).consumed).toBe(750);
  });

  it('sums 2,000 concurrent RecordConsumption calls for one tenant exactly, and the ledger agrees', async () => {
    await tenantWith('burst', 500_000);
    const n = 2_000;
    const events = Array.from({ length: n }, (_, i) => event('burst', `burst-${i}`, (i % 13) + 1, i % 2 === 0 ? 'prod' : 'dev', `user-${i % 5}`));
    const expected = events.reduce((a, e) => a + (e.credits ?? 0), 0);
    const started = performance.now();
    const results = await Promise.all(events.map((e) => admin.consumption.recordConsumption(e)));
    const seconds = (performance.now() - started) / 1000;
    console.log(`group commit: ${n} concurrent RecordConsumption in ${seconds.toFixed(2)} s = ${Math.round(n / seconds)} events/s`);
    expect(results.every((r) => !r.duplicate)).toBe(true);
    const tenant = await admin.reporting.getBalance({ tenantId: 'burst', environmentId: '', userId: '', period: '' });
    expect(tenant.consumed).toBe(expected);
    const report = await admin.reporting.getUsageReport({ tenantId: 'burst', period: '', groupBy: 1, environmentId: '', limit: 0 });
    expect([report.totalCredits, report.totalEvents]).toEqual([expected, n]);
    expect((await admin.maintenance.reconcile({ tenantId: 'burst' })).fixes).toEqual([]);
  });

  /** The tenant's events in every ledger partition (ledger_YYYY_MM), as a test reads them. */
  const ledgerOf = async (db: Db, tenantId: string) => {
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => /^ledger_\d{4}_\d{2}$/.test(n));
    const docs = await Promise.all(names.map((n) => db.collection<LedgerRow>(n).find({ tenantId }).toArray()));
    return docs.flat().sort((x, y) => x.seq - y.seq);
  };
  /**
   * What a crash right after a commit leaves: the events above `seq` are in the journal only (their partition
   * copies may or may not have landed) and the projections' high-water mark is `seq`.
   */
  const crashAfterCommit = async (db: Db, tenantId: string, seq: number) => {
    const later = (await ledgerOf(db, tenantId)).filter((e) => e.seq > seq);
    await db.collection<LedgerRow>('ledger_journal').insertMany(later);
    await db.collection<{ _id: string; projectedSeq: number }>('tenants').updateOne({ _id: tenantId }, { $set: { projectedSeq: seq } });
  };

  it('repairs projections from the journal after a crash left them behind, on start and in Reconcile', async () => {
    await tenantWith('crash', 100_000);
    for (let i = 0; i < 20; i++) await admin.consumption.recordConsumption(event('crash', `c-${i}`, 100));
    await harness.stopCore();
    // Simulate a crash after the commit of events 8..20: their usage write never landed.
    const raw = await MongoClient.connect(harness.mongo.url);
    const db = raw.db();
    const usageDocs = db.collection<{ _id: string; tenantId: string; environmentId: string; allocation: number; events: number; seq: number }>('usage');
    const usage = await usageDocs.findOne({ tenantId: 'crash', environmentId: 'prod' });
    const usageId = usage?._id ?? '';
    expect(usage?.allocation).toBe(2_000);
    await usageDocs.updateOne({ _id: usageId }, { $set: { allocation: 700, events: 7, seq: 7 } });
    await crashAfterCommit(db, 'crash', 7);
    await harness.startCore();
    expect((await admin.reporting.getBalance({ tenantId: 'crash', environmentId: 'prod', userId: '', period: '' })).consumed).toBe(2_000);
    await eventually(async () => (await usageDocs.findOne({ _id: usageId }))?.allocation === 2_000, 'the usage document repaired');
    // The journal is emptied once the projections hold its events.
    await eventually(async () => (await db.collection('ledger_journal').countDocuments({ tenantId: 'crash' })) === 0, 'an empty journal');
    // A retry of a replayed event is still a duplicate.
    expect((await admin.consumption.recordConsumption(event('crash', 'c-12', 100))).duplicate).toBe(true);

    // Corruption that no high-water mark reveals is found by Reconcile, which reports and repairs it.
    await usageDocs.updateOne({ _id: usageId }, { $set: { allocation: 1 } });
    const rec = await admin.maintenance.reconcile({ tenantId: 'crash' });
    expect(rec.ledgerEvents).toBe(20);
    expect(rec.fixes).toEqual([{ projection: 'usage', key: expect.stringMatching(/\/prod$/), before: 1, after: 2_000 }]);
    expect((await admin.reporting.getBalance({ tenantId: 'crash', environmentId: 'prod', userId: '', period: '' })).consumed).toBe(2_000);
    await raw.close();
  });

  it('serves usage reports from rollups that equal the ledger after a crash, counting nothing twice', async () => {
    await tenantWith('rollup', 1_000);
    const events = Array.from({ length: 60 }, (_, i) =>
      event('rollup', `r-${i}`, (i % 7) + 1 + (i === 59 ? 2_000 : 0), i % 3 === 0 ? 'dev' : 'prod', `user-${i % 4}`),
    );
    await admin.consumption.recordConsumptionBatch({ events: events.slice(0, 40) });
    await admin.consumption.recordConsumptionBatch({ events: events.slice(40) });
    await harness.stopCore();
    // A crash after the commit of the last 20 events: the high-water mark lags them although their projection
    // writes landed (replaying them blindly would count them twice).
    const raw = await MongoClient.connect(harness.mongo.url);
    const db = raw.db();
    await crashAfterCommit(db, 'rollup', 40);
    await harness.startCore();

    const ledger = await ledgerOf(db, 'rollup');
    expect(ledger).toHaveLength(60);
    const truthBy = (key: 'environmentId' | 'userId') => {
      const m = new Map<string, { credits: number; events: number; overage: number }>();
      for (const e of ledger) {
        const row = m.get(e[key]) ?? { credits: 0, events: 0, overage: 0 };
        m.set(e[key], { credits: row.credits + e.credits, events: row.events + 1, overage: row.overage + e.overageCredits });
      }
      return Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
    };
    const reportBy = async (groupBy: number) => {
      const r = await admin.reporting.getUsageReport({ tenantId: 'rollup', period: '', groupBy, environmentId: '', limit: 0 });
      return {
        total: [r.totalCredits, r.totalEvents],
        rows: Object.fromEntries(r.rows.map((x) => [x.key, { credits: x.credits, events: x.events, overage: x.overageCredits }] as const).sort(([a], [b]) => a.localeCompare(b))),
      };
    };
    const totalCredits = events.reduce((a, e) => a + (e.credits ?? 0), 0);
    expect(await reportBy(1)).toEqual({ total: [totalCredits, 60], rows: truthBy('environmentId') });
    expect(await reportBy(2)).toEqual({ total: [totalCredits, 60], rows: truthBy('userId') });
    expect(ledger.some((e) => e.overageCredits > 0)).toBe(true);
    // Nothing is left for Reconcile; a rollup damaged later is reported and repaired by it.
    expect((await admin.maintenance.reconcile({ tenantId: 'rollup' })).fixes).toEqual([]);
    const rollups = db.collection<{ _id: string; tenantId: string; credits: number }>('usage_rollups');
    const someRollup = await rollups.findOne({ tenantId: 'rollup' });
    await rollups.updateOne({ _id: someRollup?._id ?? '' }, { $set: { credits: 5 } });
    const rec = await admin.maintenance.reconcile({ tenantId: 'rollup' });
    expect(rec.fixes).toEqual([{ projection: 'rollup', key: expect.any(String), before: 5, after: expect.any(Number) }]);
    expect(rec.ledgerEvents).toBe(60);
    expect(await reportBy(2)).toEqual({ total: [totalCredits, 60], rows: truthBy('userId') });
    await raw.close();
  });

  it('streams alerts after a cursor, keeps streaming new ones, and resumes from an acked cursor', async () => {
    await tenantWith('alerts', 1_000);
    const seen: Alert[] = [];
    const stream = admin.alerts.watchAlerts({ subscriber: 'watcher-1', afterCursor: 0, tenantId: 'alerts' });
    stream.on('data', (m: { alert?: Alert }) => {
      if (m.alert) seen.push(m.alert);
    });
    stream.on('error', () => undefined);
    await admin.consumption.recordConsumption(event('alerts', 'a-1', 850)); // WARNING
    await admin.consumption.recordConsumption(event('alerts', 'a-2', 300)); // OVERAGE
    const until = Date.now() + 10_000;
    while (seen.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    stream.cancel();
    expect(seen.map((a) => [a.stage, a.cause])).toEqual([
      [Stage.STAGE_WARNING, expect.stringMatching(/^stage:prod:\d{4}-\d{2}:WARNING$/)],
      [Stage.STAGE_OVERAGE, expect.stringMatching(/^stage:prod:\d{4}-\d{2}:OVERAGE$/)],
    ]);
    expect((seen[1]?.cursor ?? 0) > (seen[0]?.cursor ?? 0)).toBe(true);

    await admin.alerts.ackAlerts({ subscriber: 'watcher-1', cursor: seen[0]?.cursor ?? 0 });
    // Never backwards.
    expect((await admin.alerts.ackAlerts({ subscriber: 'watcher-1', cursor: 0 })).cursor).toBe(seen[0]?.cursor);
    const resumed: Alert[] = [];
    const again = admin.alerts.watchAlerts({ subscriber: 'watcher-1', afterCursor: -1, tenantId: 'alerts' });
    again.on('data', (m: { alert?: Alert }) => {
      if (m.alert) resumed.push(m.alert);
    });
    again.on('error', () => undefined);
    const until2 = Date.now() + 10_000;
    while (resumed.length < 1 && Date.now() < until2) await new Promise((r) => setTimeout(r, 50));
    again.cancel();
    expect(resumed.map((a) => a.cursor)).toEqual([seen[1]?.cursor]);
  });
});
