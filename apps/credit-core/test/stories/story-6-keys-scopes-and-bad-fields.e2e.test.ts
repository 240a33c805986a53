/**
 * Story 6: API keys. A key scoped to tenant A cannot read or write tenant B (PERMISSION_DENIED); each role does
 * only what it may; calls without a (valid) key are UNAUTHENTICATED; bad fields are INVALID_ARGUMENT with a
 * google.rpc.BadRequest naming the field, and nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, makeGenericClientConstructor, Metadata, type ServiceError } from '@grpc/grpc-js';
import { AdminServiceService, Operation, Role } from '@allot/contracts';
import type { CoreClient } from '@allot/grpc-client';
import { startStoryCore, type StoryCore } from './support/story-core';
import { buildTenant } from './support/tenant-builder';
import { accessQuery, consumptionEvent } from './support/consumption-events';
import { expectRefused, GrpcStatus } from './support/call-errors';

describe('story 6: tenant-scoped keys, roles, authentication and field validation', () => {
  let sc: StoryCore;
  let a = '';
  let b = '';
  let adminA: CoreClient;
  let ingestA: CoreClient;
  let readerA: CoreClient;
  beforeAll(async () => {
    sc = await startStoryCore();
    a = (await buildTenant(sc.admin, { name: 'tenant-a', entitlements: [{ addOnUnits: 1 }], environments: [{ id: 'prod', allocation: 10_000 }] })).tenantId;
    b = (await buildTenant(sc.admin, { name: 'tenant-b', entitlements: [{ addOnUnits: 1 }], environments: [{ id: 'prod', allocation: 10_000 }] })).tenantId;
  });
  afterAll(async () => {
    await sc?.stop();
  });

  const balanceOf = (c: CoreClient, tenantId: string) => c.reporting.getBalance({ tenantId, environmentId: '', userId: '', period: '' });
  const eventIn = (tenantId: string, credits = 10) => consumptionEvent({ tenantId, environmentId: 'prod', credits });

  it('creates one key per role for tenant A, each shown once with an id', async () => {
    const keys = await Promise.all(
      [Role.ROLE_ADMIN, Role.ROLE_INGEST, Role.ROLE_READER].map((role) =>
        sc.admin.admin.createApiKey({ tenantId: a, role, description: `story 6 ${Role[role]}` }),
      ),
    );
    for (const k of keys) {
      expect(k.apiKey.length).toBeGreaterThanOrEqual(16);
      expect(k.keyId).not.toBe('');
      // The id names the key in lists and logs; it must not be the secret itself.
      expect(k.apiKey).not.toBe(k.keyId);
    }
    expect(new Set(keys.map((k) => k.apiKey)).size).toBe(3);
    const [admin, ingest, reader] = keys.map((k) => sc.clientWith(k.apiKey));
    if (!admin || !ingest || !reader) throw new Error('three keys expected');
    adminA = admin;
    ingestA = ingest;
    readerA = reader;
  });

  it('lets A\'s ADMIN key do everything in A and nothing in B', async () => {
    await adminA.admin.createEnvironment({ tenantId: a, environmentId: 'dev', displayName: 'Dev', tenantPoolFallback: false });
    expect((await adminA.admin.setAllocation({ tenantId: a, environmentId: 'dev', credits: 1_000 })).summary?.allocated).toBe(11_000);
    expect((await adminA.consumption.recordConsumption(eventIn(a))).duplicate).toBe(false);
    expect((await adminA.admin.getCapacity({ tenantId: a, period: '' })).capacity).toBe(1_000_000);

    await expectRefused(adminA.admin.getCapacity({ tenantId: b, period: '' }), { code: GrpcStatus.PERMISSION_DENIED });
    await expectRefused(balanceOf(adminA, b), { code: GrpcStatus.PERMISSION_DENIED });
    await expectRefused(adminA.admin.setAllocation({ tenantId: b, environmentId: 'prod', credits: 1 }), { code: GrpcStatus.PERMISSION_DENIED });
    await expectRefused(adminA.consumption.recordConsumption(eventIn(b)), { code: GrpcStatus.PERMISSION_DENIED });
    await expectRefused(adminA.consumption.checkAccess(accessQuery(b, 'prod')), { code: GrpcStatus.PERMISSION_DENIED });
    await expectRefused(adminA.admin.createApiKey({ tenantId: b, role: Role.ROLE_ADMIN, description: '' }), { code: GrpcStatus.PERMISSION_DENIED });
    // An unscoped key is for the bootstrap admin only.
    await expectRefused(adminA.admin.createApiKey({ tenantId: '', role: Role.ROLE_ADMIN, description: '' }), { code: GrpcStatus.PERMISSION_DENIED });
    await expectRefused(adminA.admin.createTenant({ tenantId: `${a}-x`, displayName: 'x', timeZone: '' }), { code: GrpcStatus.PERMISSION_DENIED });

    // Tenant B saw none of it.
    expect(await balanceOf(sc.admin, b)).toMatchObject({ consumed: 0, allocated: 10_000 });
  });

  it('lets A\'s INGEST key record, check and read in A, but not administer or touch B', async () => {
    expect((await ingestA.consumption.recordConsumption(eventIn(a, 20))).credits).toBe(20);
    expect((await ingestA.consumption.checkAccess(accessQuery(a, 'prod'))).allowed).toBe(true);
    expect((await balanceOf(ingestA, a)).consumed).toBe(30);
    await expectRefused(ingestA.admin.setAllocation({ tenantId: a, environmentId: 'prod', credits: 5 }), { code: GrpcStatus.PERMISSION_DENIED });
    await expectRefused(ingestA.admin.createEnvironment({ tenantId: a, environmentId: 'x', displayName: 'x', tenantPoolFallback: false }), {
      code: GrpcStatus.PERMISSION_DENIED,
    });
    await expectRefused(ingestA.consumption.recordConsumption(eventIn(b)), { code: GrpcStatus.PERMISSION_DENIED });
    await expectRefused(balanceOf(ingestA, b), { code: GrpcStatus.PERMISSION_DENIED });
  });

  it('lets A\'s READER key read A only, and write nothing', async () => {
    expect(await balanceOf(readerA, a)).toMatchObject({ consumed: 30, capacity: 1_000_000 });
    expect((await readerA.admin.getCapacity({ tenantId: a, period: '' })).allocated).toBe(11_000);
    await expectRefused(readerA.consumption.recordConsumption(eventIn(a)), { code: GrpcStatus.PERMISSION_DENIED });
    await expectRefused(
      readerA.consumption.recordConsumptionBatch({ events: [eventIn(a)] }),
      { code: GrpcStatus.PERMISSION_DENIED },
    );
    await expectRefused(readerA.admin.setAllocation({ tenantId: a, environmentId: 'prod', credits: 5 }), { code: GrpcStatus.PERMISSION_DENIED });
    await expectRefused(readerA.admin.startTrial({ tenantId: a, userId: 'x' }), { code: GrpcStatus.PERMISSION_DENIED });
    await expectRefused(balanceOf(readerA, b), { code: GrpcStatus.PERMISSION_DENIED });
    expect((await balanceOf(sc.admin, a)).consumed).toBe(30);
  });

  it('answers UNAUTHENTICATED without a key, with an unknown key, and with a revoked key', async () => {
    // No authorization metadata at all.
    const Raw = makeGenericClientConstructor(AdminServiceService, 'AdminService');
    const raw = new Raw(sc.core.address, credentials.createInsecure()) as unknown as {
      getCapacity(req: unknown, md: Metadata, cb: (e: ServiceError | null) => void): void;
      close(): void;
    };
    const code = await new Promise<number>((resolve) =>
      raw.getCapacity({ tenantId: a, period: '' }, new Metadata(), (e) => resolve(e ? e.code : GrpcStatus.OK)),
    );
    raw.close();
    expect(GrpcStatus[code]).toBe('UNAUTHENTICATED');

    await expectRefused(sc.clientWith('').admin.getCapacity({ tenantId: a, period: '' }), { code: GrpcStatus.UNAUTHENTICATED });
    await expectRefused(sc.clientWith('not-a-real-key-0123456789').reporting.getBalance({ tenantId: a, environmentId: '', userId: '', period: '' }), {
      code: GrpcStatus.UNAUTHENTICATED,
    });

    const k = await sc.admin.admin.createApiKey({ tenantId: a, role: Role.ROLE_READER, description: 'to revoke' });
    const soon = sc.clientWith(k.apiKey);
    expect((await balanceOf(soon, a)).consumed).toBe(30);
    await sc.admin.admin.revokeApiKey({ keyId: k.keyId });
    await expectRefused(balanceOf(soon, a), { code: GrpcStatus.UNAUTHENTICATED });
  });

  it('answers INVALID_ARGUMENT with a BadRequest naming the field, and writes nothing', async () => {
    const base = { tenantId: a, environmentId: 'prod' };
    await expectRefused(sc.admin.consumption.recordConsumption(consumptionEvent({ ...base, credits: -5 })), {
      code: GrpcStatus.INVALID_ARGUMENT,
      field: 'credits',
    });
    await expectRefused(sc.admin.consumption.recordConsumption(consumptionEvent({ ...base, environmentId: '', credits: 5 })), {
      code: GrpcStatus.INVALID_ARGUMENT,
      field: 'environment_id',
    });
    await expectRefused(sc.admin.consumption.recordConsumption(consumptionEvent({ ...base, idempotencyKey: '', credits: 5 })), {
      code: GrpcStatus.INVALID_ARGUMENT,
      field: 'idempotency_key',
    });
    await expectRefused(
      sc.admin.consumption.recordConsumption(consumptionEvent({ ...base, operation: Operation.OPERATION_UNSPECIFIED, credits: 5 })),
      { code: GrpcStatus.INVALID_ARGUMENT, field: 'operation' },
    );
    await expectRefused(
      sc.admin.consumption.recordConsumption(consumptionEvent({ ...base, capability: 'mind-reading', quantity: 3 })),
      { code: GrpcStatus.INVALID_ARGUMENT, field: 'capability' },
    );
    // More than 5 minutes in the future.
    await expectRefused(
      sc.admin.consumption.recordConsumption(consumptionEvent({ ...base, credits: 5, occurredAt: new Date(Date.now() + 60 * 60_000) })),
      { code: GrpcStatus.INVALID_ARGUMENT, field: 'occurred_at' },
    );
    await expectRefused(sc.admin.admin.getCapacity({ tenantId: a, period: '2026-13' }), { code: GrpcStatus.INVALID_ARGUMENT, field: 'period' });
    await expectRefused(sc.admin.admin.setAllocation({ tenantId: a, environmentId: 'prod', credits: -1 }), {
      code: GrpcStatus.INVALID_ARGUMENT,
      field: 'credits',
    });
    await expectRefused(sc.admin.admin.createTenant({ tenantId: '', displayName: 'x', timeZone: '' }), {
      code: GrpcStatus.INVALID_ARGUMENT,
      field: 'tenant_id',
    });
    await expectRefused(sc.admin.admin.createTenant({ tenantId: `${a}-tz`, displayName: 'x', timeZone: 'Mars/Olympus_Mons' }), {
      code: GrpcStatus.INVALID_ARGUMENT,
      field: 'time_zone',
    });
    // A malformed event refuses the whole batch, naming events[i].field; the valid event before it is not written.
    await expectRefused(
      sc.admin.consumption.recordConsumptionBatch({ events: [consumptionEvent({ ...base, credits: 7 }), consumptionEvent({ ...base, credits: -7 })] }),
      { code: GrpcStatus.INVALID_ARGUMENT, field: 'events[1].credits' },
    );
    expect((await balanceOf(sc.admin, a)).consumed).toBe(30);
    expect((await sc.admin.admin.getCapacity({ tenantId: a, period: '' })).allocated).toBe(11_000);
  });

  it('answers NOT_FOUND for an unknown tenant or environment, ALREADY_EXISTS for a taken id', async () => {
    await expectRefused(sc.admin.admin.getCapacity({ tenantId: 'no-such-tenant-xyz', period: '' }), { code: GrpcStatus.NOT_FOUND });
    await expectRefused(sc.admin.consumption.recordConsumption(consumptionEvent({ tenantId: a, environmentId: 'nowhere', credits: 1 })), {
      code: GrpcStatus.NOT_FOUND,
    });
    await expectRefused(sc.admin.admin.createTenant({ tenantId: a, displayName: 'again', timeZone: '' }), { code: GrpcStatus.ALREADY_EXISTS });
    await expectRefused(sc.admin.admin.createEnvironment({ tenantId: a, environmentId: 'prod', displayName: 'again', tenantPoolFallback: false }), {
      code: GrpcStatus.ALREADY_EXISTS,
    });
  });
});
