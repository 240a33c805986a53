/**
 * Idempotency is enforced by the database, for ever: after a restart (no key in memory) a retry of an event from a
 * period closed long ago answers duplicate = true with its first result (not refused as late), the same key with
 * other content is ALREADY_EXISTS, a retried batch of old keys is answered in a few reads, and a key claimed by a
 * group that never committed (a crash between claim and commit) is recorded when retried.
 */
import { describe, expect, it } from 'vitest';
import { MongoClient, type Db } from 'mongodb';
import { creditEvent, tenantWith } from './support/builders';
import { status, useInProcessCore } from './support/in-process-core';

const ADMIN_KEY = 'idempotency-for-ever-admin-key-0123';

/** An event as stored in its period's ledger partition. */
async function partitionDoc(db: Db, period: string, id: string): Promise<{ _id: string; group?: string }> {
  const doc = await db.collection<{ _id: string; group?: string }>(`ledger_${period.replace('-', '_')}`).findOne({ _id: id });
  if (doc === null) throw new Error(`event ${id} not found in ${period}`);
  return doc;
}

describe('idempotency for ever', () => {
  const harness = useInProcessCore(ADMIN_KEY);

  it('answers retries of a long-closed period with their first result after a restart', async () => {
    const admin = harness.admin;
    await admin.maintenance.setTestClock({ now: new Date('2026-09-10T12:00:00Z') });
    await tenantWith(admin, 'old', 1_000, { timeZone: 'UTC' });
    const at = new Date('2026-09-10T11:00:00Z');
    const events = Array.from({ length: 300 }, (_, i) => creditEvent({ tenantId: 'old', idempotencyKey: `old-${i}`, credits: (i % 5) + 1, occurredAt: at }));
    const first = await admin.consumption.recordConsumptionBatch({ events });
    expect(first.results.every((r) => r.result?.duplicate === false)).toBe(true);
    // Without occurred_at: its period is the one it was received in.
    const untimed = { ...creditEvent({ tenantId: 'old', idempotencyKey: 'untimed', credits: 7, occurredAt: at }), occurredAt: undefined };
    const untimedFirst = await admin.consumption.recordConsumption(untimed);

    // Three months later, after a restart: nothing of September is in memory, and September is long closed.
    await admin.maintenance.setTestClock({ now: new Date('2026-12-20T12:00:00Z') });
    await harness.restart();
    const started = Date.now();
    const retry = await admin.consumption.recordConsumptionBatch({ events }, { timeoutMs: 120_000 });
    console.log(`idempotency: a retry of 300 old keys after a restart took ${Date.now() - started} ms`);
    retry.results.forEach((r, i) => {
      expect(r.result?.duplicate).toBe(true);
      expect(r.result?.eventId).toBe(first.results[i]?.result?.eventId);
      expect(r.result?.draws).toEqual(first.results[i]?.result?.draws);
      expect(r.result?.period).toBe('2026-09');
    });
    const untimedRetry = await admin.consumption.recordConsumption(untimed);
    expect([untimedRetry.duplicate, untimedRetry.period, untimedRetry.credits]).toEqual([true, untimedFirst.period, 7]);

    // The same key with other content, and a new event of the closed period.
    await harness.restart();
    const reused = await admin.consumption.recordConsumptionBatch({
      events: [
        { ...events[0], credits: 999 } as (typeof events)[number],
        { ...untimed, credits: 8 },
        creditEvent({ tenantId: 'old', idempotencyKey: 'old-new', credits: 1, occurredAt: at }),
      ],
    });
    expect(reused.results.map((r) => r.error?.code)).toEqual([status.ALREADY_EXISTS, status.ALREADY_EXISTS, status.FAILED_PRECONDITION]);
    const sept = await admin.reporting.getBalance({ tenantId: 'old', environmentId: '', userId: '', period: '2026-09' });
    expect(sept.consumed).toBe(events.reduce((a, e) => a + (e.credits ?? 0), 0) + 7);
  });

  it('records an event whose key was claimed by a group that never committed', async () => {
    const admin = harness.admin;
    await admin.maintenance.setTestClock({ now: undefined });
    await tenantWith(admin, 'orphan', 1_000, { timeZone: 'UTC' });
    const at = new Date(Date.now() - 60_000);
    await admin.consumption.recordConsumption(creditEvent({ tenantId: 'orphan', idempotencyKey: 'o-0', credits: 1, occurredAt: at }));
    await harness.stopCore();
    // A crash after the claims of the next group were inserted, before its commit.
    const raw = await MongoClient.connect(harness.mongo.url);
    await raw.db().collection('ledger_keys').insertOne({ _id: 'orphan|o-1' as never, tenantId: 'orphan', fingerprint: 'x', period: '', group: 'orphan|2' });
    await raw.close();
    await harness.startCore();
    const res = await admin.consumption.recordConsumption(creditEvent({ tenantId: 'orphan', idempotencyKey: 'o-1', credits: 5, occurredAt: at }));
    expect([res.duplicate, res.credits]).toEqual([false, 5]);
    expect((await admin.consumption.recordConsumption(creditEvent({ tenantId: 'orphan', idempotencyKey: 'o-1', credits: 5, occurredAt: at }))).duplicate).toBe(true);
    expect((await admin.reporting.getBalance({ tenantId: 'orphan', environmentId: '', userId: '', period: '' })).consumed).toBe(6);
  });

  it('answers a batch that retries a key still in the journal, with new events before it, in one call', async () => {
    const admin = harness.admin;
    await tenantWith(admin, 'journal', 1_000, { timeZone: 'UTC' });
    const at = new Date(Date.now() - 60_000);
    const a = creditEvent({ tenantId: 'journal', idempotencyKey: 'j-a', credits: 2, occurredAt: at });
    const first = await admin.consumption.recordConsumption(a);
    await harness.restart();
    // Loaded again, with no key in memory; then the committed event shows up in the journal, as when its trim
    // is late (copies to the partition pending) and its key is no longer among the recent ones. The batch below
    // retries it after two new events, so the journal refuses it after those went in.
    await admin.reporting.getBalance({ tenantId: 'journal', environmentId: '', userId: '', period: '' });
    const raw = await MongoClient.connect(harness.mongo.url);
    const doc = await partitionDoc(raw.db(), first.period, 'journal|j-a');
    await raw.db().collection('ledger_journal').insertOne(doc as never);
    await raw.close();
    const batch = [
      creditEvent({ tenantId: 'journal', idempotencyKey: 'j-b', credits: 3, occurredAt: at }),
      creditEvent({ tenantId: 'journal', idempotencyKey: 'j-c', credits: 5, occurredAt: at }),
      a,
      creditEvent({ tenantId: 'journal', idempotencyKey: 'j-d', credits: 7, occurredAt: at }),
    ];
    const res = await admin.consumption.recordConsumptionBatch({ events: batch });
    expect(res.results.map((r) => [r.result?.duplicate, r.result?.credits])).toEqual([
      [false, 3],
      [false, 5],
      [true, 2],
      [false, 7],
    ]);
    expect(res.results[2]?.result?.eventId).toBe(first.eventId);
    expect((await admin.reporting.getBalance({ tenantId: 'journal', environmentId: '', userId: '', period: '' })).consumed).toBe(17);
    await harness.restart();
    expect((await admin.reporting.getBalance({ tenantId: 'journal', environmentId: '', userId: '', period: '' })).consumed).toBe(17);
    expect((await admin.maintenance.reconcile({ tenantId: 'journal' })).fixes).toEqual([]);
  });

  it('moves a v1 ledger (one collection) into claims and partitions once, so its keys stay used', async () => {
    const admin = harness.admin;
    await tenantWith(admin, 'v1', 1_000, { timeZone: 'UTC' });
    const at = new Date(Date.now() - 60_000);
    const v1 = creditEvent({ tenantId: 'v1', idempotencyKey: 'v1-old', credits: 3, occurredAt: at });
    const first = await admin.consumption.recordConsumption(v1);
    await harness.stopCore();
    // The event as the v1 core stored it: in `ledger`, and nowhere else.
    const raw = await MongoClient.connect(harness.mongo.url);
    const db = raw.db();
    const partition = `ledger_${first.period.replace('-', '_')}`;
    const doc = await partitionDoc(db, first.period, 'v1|v1-old');
    delete doc.group;
    await db.collection(partition).deleteOne({ _id: doc._id as never });
    await db.collection('ledger_keys').deleteOne({ _id: doc._id as never });
    await db.collection('ledger').insertOne(doc as never);
    await db.collection('migrations').deleteMany({});
    await harness.startCore();
    const retry = await admin.consumption.recordConsumption(v1);
    expect([retry.duplicate, retry.eventId, retry.credits]).toEqual([true, first.eventId, 3]);
    expect(await db.collection(partition).countDocuments({ _id: doc._id as never })).toBe(1);
    await raw.close();
  });
});
