/**
 * Limits a careless or hostile client runs into without hurting anyone else:
 *   - a WatchAlerts consumer that stops reading holds only its own stream (the core waits for it to drain);
 *     other watchers and calls go on, and it gets every alert, in order, once it reads again;
 *   - a deadline is honoured, and the next call on the same client is answered;
 *   - garbage bytes on a shared channel are refused one by one while good calls on that channel succeed;
 *   - consumption that would take a total beyond 2^53-1 is refused, so every total stays exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metadata, credentials, makeGenericClientConstructor, status, type Client, type ServiceDefinition, type ServiceError } from '@grpc/grpc-js';
import { ConsumptionServiceService, Operation, UsageGroupBy, CheckAccessRequest, type Alert, type WatchAlertsResponse } from '@allot/contracts';
import { CoreCallError } from '@allot/grpc-client';
import { eventually } from '@allot/testing';
import { startStoryCore, type StoryCore } from './stories/support/story-core';
import { buildTenant } from './stories/support/tenant-builder';
import { accessQuery, consumptionEvent } from './stories/support/consumption-events';

const ENVIRONMENTS = Array.from({ length: 60 }, (_, i) => `env-${String(i).padStart(2, '0')}`);

describe('limits', () => {
  let sc: StoryCore;
  let tenantId = '';
  beforeAll(async () => {
    sc = await startStoryCore();
    tenantId = (
      await buildTenant(sc.admin, { name: 'limits', entitlements: [{ addOnUnits: 1 }], environments: ENVIRONMENTS.map((id) => ({ id, allocation: 1_000 })) })
    ).tenantId;
  });
  afterAll(async () => {
    await sc?.stop();
  });

  it('lets a consumer that stops reading stall nobody, and gives it every alert once it reads again', { timeout: 300_000 }, async () => {
    const watch = (subscriber: string) => sc.admin.alerts.watchAlerts({ subscriber, afterCursor: 0, tenantId }, { timeoutMs: 600_000 });
    const slow = watch('slow-consumer');
    const slowSeen: Alert[] = [];
    slow.on('data', (m: WatchAlertsResponse) => m.alert && slowSeen.push(m.alert));
    // Attaching 'data' starts the flow; pausing right after stops reading before any alert exists.
    slow.pause();
    const fast = watch('fast-consumer');
    const fastSeen: Alert[] = [];
    fast.on('data', (m: WatchAlertsResponse) => m.alert && fastSeen.push(m.alert));
    for (const err of [slow, fast]) err.on('error', () => undefined);

    // Three batches take each of 60 environments through WARNING (85%), OVERAGE (105%) and BLOCKED (135%).
    for (const credits of [850, 200, 300]) {
      const res = await sc.admin.consumption.recordConsumptionBatch({ events: ENVIRONMENTS.map((environmentId) => consumptionEvent({ tenantId, environmentId, credits })) });
      expect(res.results.every((r) => r.result !== undefined)).toBe(true);
    }
    const stageAlerts = (list: readonly Alert[]) => list.filter((a) => a.environmentId !== '');
    await eventually(() => stageAlerts(fastSeen).length >= ENVIRONMENTS.length * 3, 'every stage alert at the fast consumer', 120_000);
    // Meanwhile the core answers everyone else at once.
    const access = await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'env-00'));
    expect(access.allowed).toBe(false);
    expect(slowSeen.length).toBeLessThan(fastSeen.length);

    slow.resume();
    await eventually(() => slowSeen.length >= fastSeen.length, 'the slow consumer catching up', 120_000);
    expect(slowSeen.map((a) => a.cursor)).toEqual(fastSeen.map((a) => a.cursor));
    expect([...slowSeen.map((a) => a.cursor)].sort((x, y) => x - y)).toEqual(slowSeen.map((a) => a.cursor));
    slow.cancel();
    fast.cancel();
  });

  it('keeps every total exact: consumption that would pass 2^53-1 is refused, and nothing is counted of it', async () => {
    const big = (await buildTenant(sc.admin, { name: 'big', entitlements: [{ addOnUnits: 1 }], environments: [{ id: 'prod' }] })).tenantId;
    const nearly = Number.MAX_SAFE_INTEGER - 10;
    const first = await sc.admin.consumption.recordConsumption(consumptionEvent({ tenantId: big, environmentId: 'prod', credits: nearly }));
    expect(first.credits).toBe(nearly);
    const over = await sc.admin.consumption.recordConsumption(consumptionEvent({ tenantId: big, environmentId: 'prod', credits: 100 })).catch((e: unknown) => e);
    expect(over).toBeInstanceOf(CoreCallError);
    expect([(over as CoreCallError).code, (over as CoreCallError).field]).toEqual([status.FAILED_PRECONDITION, 'credits']);
    expect((await sc.admin.consumption.recordConsumption(consumptionEvent({ tenantId: big, environmentId: 'prod', credits: 10 }))).credits).toBe(10);
    const balance = await sc.admin.reporting.getBalance({ tenantId: big, environmentId: '', userId: '', period: '' });
    expect(balance.consumed).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('honours a deadline and answers the next call', async () => {
    // Reconcile reads the ledger partitions: it cannot answer within 1 ms, so the deadline decides.
    const reconcile = sc.admin.maintenance.reconcile({ tenantId }, { timeoutMs: 1 });
    await expect(reconcile).rejects.toSatisfy((e: unknown) => e instanceof CoreCallError && e.code === status.DEADLINE_EXCEEDED);
    const report = await sc.admin.reporting.getUsageReport({ tenantId, period: '', groupBy: UsageGroupBy.USAGE_GROUP_BY_USER, environmentId: '', limit: 0 });
    expect(report.totalEvents).toBe(ENVIRONMENTS.length * 3);
    const balance = await sc.admin.reporting.getBalance({ tenantId, environmentId: 'env-01', userId: '', period: '' });
    expect(balance.consumed).toBe(1_350);
  });

  it('refuses garbage on a shared channel one call at a time, while good calls on it succeed', async () => {
    const raw: Record<string, ServiceDefinition[string]> = {};
    for (const [name, m] of Object.entries(ConsumptionServiceService as unknown as ServiceDefinition)) raw[name] = { ...m, requestSerialize: (v: Buffer) => v };
    const Ctor = makeGenericClientConstructor(raw as ServiceDefinition, 'limits');
    const client: Client = new Ctor(sc.core.address, credentials.createInsecure());
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${sc.core.adminKey}`);
    const good = Buffer.from(CheckAccessRequest.encode(CheckAccessRequest.fromPartial({ tenantId, environmentId: 'env-02', userId: 'u', operation: Operation.OPERATION_RUN })).finish());
    const garbage = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x12]);
    const send = (bytes: Buffer): Promise<number> =>
      new Promise((resolve) => {
        const checkAccess = (client as unknown as Record<string, (...a: unknown[]) => void>)['checkAccess'];
        checkAccess?.call(client, bytes, metadata, { deadline: new Date(Date.now() + 60_000) }, (e: ServiceError | null) => resolve(e === null ? status.OK : e.code));
      });
    const codes = await Promise.all(Array.from({ length: 100 }, (_, i) => send(i % 2 === 0 ? garbage : good)));
    client.close();
    expect(codes.filter((_, i) => i % 2 === 0)).toEqual(Array(50).fill(status.INVALID_ARGUMENT));
    expect(codes.filter((_, i) => i % 2 === 1)).toEqual(Array(50).fill(status.OK));
  });
});
