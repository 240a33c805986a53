/**
 * Story 11 (licensing v2, docs/licensing.md, Reservations): holds survive a change of owner replica. Two cores on one
 * database; the first owns the tenant and grants reservations (AI Builder and, under DUAL, Copilot Credits); it stops,
 * the second takes the tenant over and counts the same holds in CheckAccess and balances, commits one and releases
 * another; a retried commit through either replica is a duplicate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreClient, type CoreClient } from '@allot/grpc-client';
import { startCoreProcess, type CoreProcess } from '@allot/testing';
import { Currency, EntitlementKind, LicensingModel, Operation, ReservationStatus } from '@allot/contracts';
import { startStoryCore, type StoryCore } from './support/story-core';
import { buildTenant } from './support/tenant-builder';
import { accessQuery, freshKey } from './support/consumption-events';

describe('story 11: reservations survive a change of owner replica', () => {
  let sc: StoryCore;
  let second: CoreProcess;
  let other: CoreClient;
  beforeAll(async () => {
    sc = await startStoryCore();
    second = await startCoreProcess({ mongodbUri: sc.mongo.url, env: { CREDIT_CORE_ADMIN_KEY: sc.core.adminKey } });
    other = createCoreClient({ address: second.address, apiKey: sc.core.adminKey });
  });
  afterAll(async () => {
    other?.close();
    await second?.stop().catch(() => undefined);
    await sc?.stop();
  });

  it('the new owner counts, commits and releases the holds the old owner granted', async () => {
    const { tenantId } = await buildTenant(sc.admin, { name: 'rsv-owner', entitlements: [{ addOnUnits: 1 }], environments: [{ id: 'prod', allocation: 1_000 }] });
    await sc.admin.admin.updateTenantSettings({ tenantId, thresholds: undefined, licensingModel: LicensingModel.LICENSING_MODEL_DUAL });
    await sc.admin.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_COPILOT_PACK, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
    await sc.admin.admin.setAllocation({ tenantId, environmentId: 'prod', credits: 1_000, currency: Currency.CURRENCY_COPILOT });
    await sc.admin.admin.updateEnvironmentSettings({ tenantId, environmentId: 'prod', copilotDrawFromTenant: false });
    const reserve = (client: CoreClient, spec: { credits?: number; capability?: string; quantity?: number }, key = freshKey('rsv')) =>
      client.consumption.reserveCredits({
        tenantId,
        environmentId: 'prod',
        userId: 'user-1',
        operation: Operation.OPERATION_RUN,
        idempotencyKey: key,
        credits: spec.credits,
        capability: spec.capability ?? '',
        quantity: spec.quantity ?? 0,
        ttl: { seconds: 600, nanos: 0 },
        sourceId: '',
      });

    // On the first core (the owner): 600 AI Builder credits held, then 20 invoice pages (640 > 400 left) held as
    // 160 Copilot Credits of the environment's 1,000.
    const aiBuilder = await reserve(sc.admin, { credits: 600 });
    const copilotKey = freshKey('rsv');
    const copilot = await reserve(sc.admin, { capability: 'invoice-processing', quantity: 20 }, copilotKey);
    expect(aiBuilder).toMatchObject({ allowed: true });
    expect(copilot).toMatchObject({ allowed: true, copilotRemaining: '840' });
    expect(copilot.held.map((d) => [d.currency, d.amount])).toEqual([[Currency.CURRENCY_COPILOT, '160']]);

    // The owner stops (its lease is given back); the second core takes the tenant over from the database.
    await sc.core.stop();
    expect(await other.consumption.checkAccess(accessQuery(tenantId, 'prod'))).toMatchObject({ allowed: true, remaining: 400, copilotRemaining: '840' });
    const b = await other.reporting.getBalance({ tenantId, environmentId: 'prod', userId: '', period: '' });
    expect(b).toMatchObject({ consumed: 600 });
    expect(b.copilot).toMatchObject({ consumed: '160', remaining: '840' });
    // A retried reservation on the new owner finds the first answer.
    expect(await reserve(other, { capability: 'invoice-processing', quantity: 20 }, copilotKey)).toMatchObject({ duplicate: true, reservationId: copilot.reservationId });

    // Commit the AI Builder one with its actual amount, release the Copilot one.
    const commit = { tenantId, reservationId: aiBuilder.reservationId, credits: 550, capability: '', quantity: 0, occurredAt: undefined };
    expect((await other.consumption.commitReservation(commit)).result).toMatchObject({ credits: 550, duplicate: false });
    expect((await other.consumption.releaseReservation({ tenantId, reservationId: copilot.reservationId })).status).toBe(ReservationStatus.RESERVATION_STATUS_RELEASED);
    expect(await other.consumption.checkAccess(accessQuery(tenantId, 'prod'))).toMatchObject({ remaining: 450, copilotRemaining: '1000' });

    // The first core comes back: it forwards to the owner or takes over, and the answers stay the same.
    await sc.core.restart();
    expect((await sc.admin.consumption.commitReservation(commit)).result).toMatchObject({ credits: 550, duplicate: true });
    expect(await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'prod'))).toMatchObject({ remaining: 450, copilotRemaining: '1000' });
  });
});
