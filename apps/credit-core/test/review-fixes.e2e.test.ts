/**
 * Guarantees found missing in review, over real gRPC against FerretDB (or MONGODB_URI): stage alerts a crash
 * lost are raised once when the tenant loads again, alert cursors belong to the key's scope, maintenance
 * refuses a `now` far ahead of the core's clock, ClosePeriod catches up every missed month, only the bootstrap
 * key mints keys for all tenants, and a free event's key reused with other credits is a reused key.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import type { CoreClient } from '@allot/grpc-client';
import { AlertKind, Operation, Role, Stage, type RecordConsumptionRequest } from '@allot/contracts';
import { eventually, refused, status, useInProcessCore } from './support/in-process-core';
import { alertsOf as alertsOfTenant, creditEvent, tenantWith as fundedTenant } from './support/builders';

const ADMIN_KEY = 'review-fixes-admin-key-0123456789';
const MINUTE = 60_000;

describe('credit core review fixes', () => {
  const harness = useInProcessCore(ADMIN_KEY);
  const { client, restart } = harness;
  let admin: CoreClient;
  beforeAll(() => {
    admin = harness.admin;
  });
  const event = (tenantId: string, key: string, credits: number, occurredAt: Date, operation = Operation.OPERATION_RUN): RecordConsumptionRequest =>
    creditEvent({ tenantId, idempotencyKey: key, credits, occurredAt, operation });
  const tenantWith = (tenantId: string, allocation: number): Promise<void> => fundedTenant(admin, tenantId, allocation);
  const alertsOf = (tenantId: string, kind: AlertKind) => alertsOfTenant(admin, tenantId, kind);

  beforeEach(async () => {
    await admin.maintenance.setTestClock({ now: undefined });
  });

  it('raises a stage alert a crash lost exactly once when the tenant loads again, from the stages the outbox holds', async () => {
    await tenantWith('lost-alert', 1_000);
    const at = new Date(Date.now() - MINUTE);
    await admin.consumption.recordConsumption(event('lost-alert', 'l-1', 850, at)); // WARNING
    await admin.consumption.recordConsumption(event('lost-alert', 'l-2', 400, at)); // 125%: BLOCKED
    const stages = async () => (await alertsOf('lost-alert', AlertKind.ALERT_KIND_STAGE_CHANGED)).map((a) => a.stage);
    await eventually(async () => ((await stages()).length === 2 ? true : undefined), 'the two stage alerts');
    expect(await stages()).toEqual([Stage.STAGE_WARNING, Stage.STAGE_BLOCKED]);

    // A SIGKILL after the clients were answered and before the BLOCKED alert was stored: the outbox lacks it.
    await harness.stopCore();
    const raw = await MongoClient.connect(harness.mongo.url);
    const deleted = await raw.db().collection('alerts').deleteOne({ tenantId: 'lost-alert', kind: 'STAGE_CHANGED', stage: 'BLOCKED' });
    expect(deleted.deletedCount).toBe(1);
    await harness.startCore();
    expect(await stages()).toEqual([Stage.STAGE_WARNING]);

    // The first call that loads the tenant finds BLOCKED differs from the last alerted WARNING and raises it.
    expect((await admin.reporting.getBalance({ tenantId: 'lost-alert', environmentId: 'prod', userId: '', period: '' })).stage).toBe(Stage.STAGE_BLOCKED);
    await eventually(async () => ((await stages()).length === 2 ? true : undefined), 'the lost BLOCKED alert');
    const blocked = (await alertsOf('lost-alert', AlertKind.ALERT_KIND_STAGE_CHANGED)).filter((a) => a.stage === Stage.STAGE_BLOCKED);
    expect(blocked.map((a) => a.previousStage)).toEqual([Stage.STAGE_WARNING]);

    // Loading again (another restart, more events in the same stage) raises nothing more.
    await restart();
    await admin.consumption.recordConsumption(event('lost-alert', 'l-3', 10, at));
    await admin.reporting.getBalance({ tenantId: 'lost-alert', environmentId: 'prod', userId: '', period: '' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await stages()).toEqual([Stage.STAGE_WARNING, Stage.STAGE_BLOCKED]);
    await raw.close();
  });

  it('keeps the test clock across a restart, so a crash test does not see time jump back', async () => {
    const set = new Date('2027-03-15T12:00:00Z');
    await admin.maintenance.setTestClock({ now: set });
    await restart();
    await tenantWith('clock-kept', 0);
    expect((await admin.admin.getCapacity({ tenantId: 'clock-kept', period: '' })).period).toBe('2027-03');
    await admin.maintenance.setTestClock({ now: undefined });
    await restart();
    await tenantWith('clock-real', 0);
    expect((await admin.admin.getCapacity({ tenantId: 'clock-real', period: '' })).period).not.toBe('2027-03');
  });

  it('AckAlerts needs INGEST or ADMIN, and a key of another tenant neither moves nor reads a subscriber cursor', async () => {
    await tenantWith('ack-a', 0);
    await tenantWith('ack-b', 0);
    const key = async (tenantId: string, role: Role) => client((await admin.admin.createApiKey({ tenantId, role, description: 'ack' })).apiKey);
    const readerA = await key('ack-a', Role.ROLE_READER);
    const ingestA = await key('ack-a', Role.ROLE_INGEST);
    const ingestB = await key('ack-b', Role.ROLE_INGEST);
    const readerB = await key('ack-b', Role.ROLE_READER);

    // Cursors are acknowledged up to the newest alert raised so far (creating the tenants raised some).
    const newest = (await admin.alerts.listAlerts({ tenantId: '', afterCursor: 0, limit: 500 })).alerts.reduce((m, a) => Math.max(m, a.cursor), 0);
    expect(newest).toBeGreaterThanOrEqual(2);
    expect((await refused(readerA.alerts.ackAlerts({ subscriber: 'bot-a', cursor: 1 }))).code).toBe(status.PERMISSION_DENIED);
    expect((await ingestA.alerts.ackAlerts({ subscriber: 'bot-a', cursor: newest })).cursor).toBe(newest);
    expect((await readerA.alerts.getAlertCursor({ subscriber: 'bot-a' })).cursor).toBe(newest);

    // Tenant b's key acks a subscriber of the same name: its own cursor moves, tenant a's does not.
    expect((await ingestB.alerts.ackAlerts({ subscriber: 'bot-a', cursor: 1 })).cursor).toBe(1);
    expect((await readerB.alerts.getAlertCursor({ subscriber: 'bot-a' })).cursor).toBe(1);
    expect((await ingestA.alerts.getAlertCursor({ subscriber: 'bot-a' })).cursor).toBe(newest);
    // Nor does the cursor of keys for all tenants (the bare subscriber id).
    expect((await admin.alerts.getAlertCursor({ subscriber: 'bot-a' })).cursor).toBe(0);
    expect((await admin.alerts.ackAlerts({ subscriber: 'bot-a', cursor: 1 })).cursor).toBe(1);
    expect((await readerA.alerts.getAlertCursor({ subscriber: 'bot-a' })).cursor).toBe(newest);
    // A cursor past the newest alert would skip alerts not raised yet: refused, nothing moves.
    const ahead = await refused(ingestA.alerts.ackAlerts({ subscriber: 'bot-a', cursor: newest + 1_000 }));
    expect([ahead.code, ahead.field]).toEqual([status.INVALID_ARGUMENT, 'cursor']);
    expect((await readerA.alerts.getAlertCursor({ subscriber: 'bot-a' })).cursor).toBe(newest);
  });

  it('refuses a maintenance now more than 5 minutes ahead of the core clock, naming now; the test clock is that clock', async () => {
    await tenantWith('future-now', 0);
    const ahead = new Date(Date.now() + 10 * MINUTE);
    for (const call of [
      admin.maintenance.closePeriod({ tenantId: 'future-now', period: '', now: ahead }),
      admin.maintenance.runTrialMaintenance({ tenantId: 'future-now', now: ahead }),
      admin.maintenance.raiseForecastAlerts({ tenantId: 'future-now', now: ahead }),
    ]) {
      const e = await refused(call);
      expect([e.code, e.field]).toEqual([status.INVALID_ARGUMENT, 'now']);
    }
    expect(await alertsOf('future-now', AlertKind.ALERT_KIND_PERIOD_CLOSED)).toEqual([]);
    // A little skew is fine.
    await admin.maintenance.runTrialMaintenance({ tenantId: 'future-now', now: new Date(Date.now() + MINUTE) });
    // With the test clock moved first, the same instant is the core's present.
    await admin.maintenance.setTestClock({ now: ahead });
    await admin.maintenance.runTrialMaintenance({ tenantId: 'future-now', now: ahead });
  });

  it('closes every ended period in one ClosePeriod after the scheduler missed two months, then answers already_closed', async () => {
    const setClock = (iso: string) => admin.maintenance.setTestClock({ now: new Date(iso) });
    await setClock('2027-03-10T12:00:00Z');
    await tenantWith('catch-up', 1_000);
    await admin.consumption.recordConsumption(event('catch-up', 'm-1', 300, new Date('2027-03-10T11:00:00Z')));
    await setClock('2027-04-10T12:00:00Z');
    await admin.consumption.recordConsumption(event('catch-up', 'm-2', 1_100, new Date('2027-04-10T11:00:00Z')));
    await setClock('2027-05-02T12:00:00Z');

    const first = await admin.maintenance.closePeriod({ tenantId: 'catch-up', period: '', now: undefined });
    expect(first).toMatchObject({ period: '2027-04', alreadyClosed: false, currentPeriod: '2027-05' });
    const closed = await alertsOf('catch-up', AlertKind.ALERT_KIND_PERIOD_CLOSED);
    expect(closed.map((a) => [a.period, a.consumed, a.totalOverage])).toEqual([
      ['2027-03', 300, 0],
      ['2027-04', 1_100, 100],
    ]);
    expect(first.summaryAlertCursor).toBe(closed[1]?.cursor);

    const second = await admin.maintenance.closePeriod({ tenantId: 'catch-up', period: '', now: undefined });
    expect(second).toMatchObject({ period: '2027-04', alreadyClosed: true, summaryAlertCursor: 0, currentPeriod: '2027-05' });
    expect(await alertsOf('catch-up', AlertKind.ALERT_KIND_PERIOD_CLOSED)).toHaveLength(2);
  });

  it('lets only the bootstrap key create a key for all tenants, not an unscoped ADMIN key it created', async () => {
    await tenantWith('keys', 0);
    const unscoped = client((await admin.admin.createApiKey({ tenantId: '', role: Role.ROLE_ADMIN, description: 'ops' })).apiKey);
    expect((await refused(unscoped.admin.createApiKey({ tenantId: '', role: Role.ROLE_READER, description: 'x' }))).code).toBe(status.PERMISSION_DENIED);
    expect((await unscoped.admin.createApiKey({ tenantId: 'keys', role: Role.ROLE_READER, description: 'x' })).keyId).not.toBe('');
  });

  it('fingerprints the requested credits: a TEST event key reused with other credits is ALREADY_EXISTS, alone and in a batch', async () => {
    await tenantWith('free-key', 1_000);
    const at = new Date(Date.now() - MINUTE);
    const test = (credits: number) => event('free-key', 'free-1', credits, at, Operation.OPERATION_TEST);
    const first = await admin.consumption.recordConsumption(test(5));
    expect([first.credits, first.duplicate]).toEqual([0, false]);
    expect((await admin.consumption.recordConsumption(test(5))).duplicate).toBe(true);
    expect((await refused(admin.consumption.recordConsumption(test(6)))).code).toBe(status.ALREADY_EXISTS);
    const batch = await admin.consumption.recordConsumptionBatch({ events: [test(5), test(7)] });
    expect(batch.results.map((r) => r.result?.duplicate ?? r.error?.code)).toEqual([true, status.ALREADY_EXISTS]);
  });
});
