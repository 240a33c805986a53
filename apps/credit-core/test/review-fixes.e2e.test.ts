/**
 * Guarantees found missing in review, over real gRPC against FerretDB (or MONGODB_URI): stage alerts a crash
 * lost are raised once when the tenant loads again, alert cursors belong to the key's scope, maintenance
 * refuses a `now` far ahead of the core's clock, ClosePeriod catches up every missed month, only the bootstrap
 * key mints keys for all tenants, and a free event's key reused with other credits is a reused key.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { createCoreClient, type CoreCallError, type CoreClient } from '@allot/grpc-client';
import { startTestMongo, type RunningService } from '@allot/testing';
import { AlertKind, EntitlementKind, Operation, Role, Stage, type Alert, type RecordConsumptionRequest } from '@allot/contracts';
import { startCore, type RunningCore } from '../src/core';
import { createLogger } from '../src/logger';
import type { CoreConfig } from '../src/config';

const ADMIN_KEY = 'review-fixes-admin-key-0123456789';
const status = { INVALID_ARGUMENT: 3, ALREADY_EXISTS: 6, PERMISSION_DENIED: 7 };
const MINUTE = 60_000;

async function refused(p: Promise<unknown>): Promise<CoreCallError> {
  try {
    await p;
  } catch (e) {
    return e as CoreCallError;
  }
  throw new Error('expected the call to be refused');
}

describe('credit core review fixes', () => {
  let mongo: RunningService;
  let core: RunningCore;
  let admin: CoreClient;
  let port = 0;
  const config = (): CoreConfig => ({
    mongodbUri: mongo.url,
    listenAddr: `127.0.0.1:${port}`,
    adminKey: ADMIN_KEY,
    testClock: true,
    commitDelayMs: 2,
  });
  const clients: CoreClient[] = [];
  const client = (apiKey: string): CoreClient => {
    const c = createCoreClient({ address: core.address, apiKey });
    clients.push(c);
    return c;
  };
  const event = (tenantId: string, key: string, credits: number, occurredAt: Date, operation = Operation.OPERATION_RUN): RecordConsumptionRequest => ({
    tenantId,
    environmentId: 'prod',
    userId: 'u1',
    idempotencyKey: key,
    occurredAt,
    operation,
    credits,
    capability: '',
    quantity: 0,
    sourceId: '',
  });
  const tenantWith = async (tenantId: string, allocation: number): Promise<void> => {
    await admin.admin.createTenant({ tenantId, displayName: tenantId, timeZone: 'Europe/Paris' });
    await admin.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
    await admin.admin.createEnvironment({ tenantId, environmentId: 'prod', displayName: 'Production', tenantPoolFallback: false });
    if (allocation > 0) await admin.admin.setAllocation({ tenantId, environmentId: 'prod', credits: allocation });
  };
  const alertsOf = async (tenantId: string, kind: AlertKind): Promise<Alert[]> =>
    (await admin.alerts.listAlerts({ tenantId, afterCursor: 0, limit: 1000 })).alerts.filter((a) => a.kind === kind);
  const eventually = async <T>(probe: () => Promise<T | undefined>, what: string): Promise<T> => {
    const until = Date.now() + 10_000;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const restart = async (): Promise<void> => {
    await core.stop();
    core = await startCore(config(), createLogger(true));
  };

  beforeAll(async () => {
    mongo = await startTestMongo();
    core = await startCore({ ...config(), listenAddr: '127.0.0.1:0' }, createLogger(true));
    port = Number(core.address.split(':')[1]);
    admin = client(ADMIN_KEY);
  });
  beforeEach(async () => {
    await admin.maintenance.setTestClock({ now: undefined });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await core?.stop();
    await mongo?.stop();
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
    await core.stop();
    const raw = await MongoClient.connect(mongo.url);
    const deleted = await raw.db().collection('alerts').deleteOne({ tenantId: 'lost-alert', kind: 'STAGE_CHANGED', stage: 'BLOCKED' });
    expect(deleted.deletedCount).toBe(1);
    core = await startCore(config(), createLogger(true));
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

    expect((await refused(readerA.alerts.ackAlerts({ subscriber: 'bot-a', cursor: 7 }))).code).toBe(status.PERMISSION_DENIED);
    expect((await ingestA.alerts.ackAlerts({ subscriber: 'bot-a', cursor: 5 })).cursor).toBe(5);
    expect((await readerA.alerts.getAlertCursor({ subscriber: 'bot-a' })).cursor).toBe(5);

    // Tenant b's key acks a subscriber of the same name: its own cursor moves, tenant a's does not.
    expect((await ingestB.alerts.ackAlerts({ subscriber: 'bot-a', cursor: 1_000 })).cursor).toBe(1_000);
    expect((await readerB.alerts.getAlertCursor({ subscriber: 'bot-a' })).cursor).toBe(1_000);
    expect((await ingestA.alerts.getAlertCursor({ subscriber: 'bot-a' })).cursor).toBe(5);
    // Nor does the cursor of keys for all tenants (the bare subscriber id).
    expect((await admin.alerts.getAlertCursor({ subscriber: 'bot-a' })).cursor).toBe(0);
    expect((await admin.alerts.ackAlerts({ subscriber: 'bot-a', cursor: 3 })).cursor).toBe(3);
    expect((await readerA.alerts.getAlertCursor({ subscriber: 'bot-a' })).cursor).toBe(5);
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
