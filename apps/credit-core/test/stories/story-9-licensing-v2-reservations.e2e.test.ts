/**
 * Story 9 (licensing v2, docs/licensing.md): over real gRPC,
 * - a reservation race: 64 concurrent ReserveCredits for the last 1,000 credits, exactly the 10 affordable granted;
 *   holds count in CheckAccess and balances, survive a restart, release themselves at their expiry, and all three
 *   calls are idempotent;
 * - a DUAL tenant: Copilot packs and allocations in GetCapacity, a maker never blocked, a trial refused, and a
 *   license tenant whose seeded credits are gone after October 2026.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Currency, DenialReason, EntitlementKind, LicensingModel, Operation, ReservationStatus, Stage } from '@allot/contracts';
import { startStoryCore, type StoryCore } from './support/story-core';
import { buildTenant } from './support/tenant-builder';
import { accessQuery, consumptionEvent, freshKey } from './support/consumption-events';

describe('story 9: reservations and the DUAL licensing model', () => {
  let sc: StoryCore;
  beforeAll(async () => {
    sc = await startStoryCore();
  });
  afterAll(async () => {
    await sc?.stop();
  });

  const reserveReq = (tenantId: string, credits: number, key = freshKey('rsv'), ttlSeconds = 600) => ({
    tenantId,
    environmentId: 'prod',
    userId: 'user-1',
    operation: Operation.OPERATION_RUN,
    idempotencyKey: key,
    credits,
    capability: '',
    quantity: 0,
    ttl: { seconds: ttlSeconds, nanos: 0 },
    sourceId: '',
  });

  it('64 concurrent reservations for the last 1,000 credits: exactly 10 of 100 granted, the hold counts, survives a restart', async () => {
    const { tenantId } = await buildTenant(sc.admin, { name: 'race', entitlements: [{ addOnUnits: 1 }], environments: [{ id: 'prod', allocation: 10_000 }] });
    await sc.admin.consumption.recordConsumption({
      tenantId,
      environmentId: 'prod',
      userId: 'user-1',
      idempotencyKey: freshKey(),
      occurredAt: new Date(),
      operation: Operation.OPERATION_RUN,
      credits: 9_000,
      capability: '',
      quantity: 0,
      sourceId: '',
    });
    const answers = await Promise.all(Array.from({ length: 64 }, () => sc.admin.consumption.reserveCredits(reserveReq(tenantId, 100))));
    const granted = answers.filter((a) => a.allowed);
    expect(granted).toHaveLength(10);
    for (const a of answers.filter((x) => !x.allowed)) expect(a).toMatchObject({ reason: DenialReason.DENIAL_REASON_QUOTA_EXCEEDED, reservationId: '' });
    expect(new Set(granted.map((a) => a.reservationId)).size).toBe(10);
    expect(await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'prod'))).toMatchObject({ remaining: 0 });
    expect(await sc.admin.reporting.getBalance({ tenantId, environmentId: 'prod', userId: '', period: '' })).toMatchObject({ consumed: 10_000, remaining: 0 });

    await sc.core.restart();
    expect(await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'prod'))).toMatchObject({ remaining: 0 });

    // Release one: its 100 credits are free again; a second release changes nothing.
    const [first, second] = granted;
    if (first === undefined || second === undefined) throw new Error('no reservation granted');
    expect((await sc.admin.consumption.releaseReservation({ tenantId, reservationId: first.reservationId })).status).toBe(ReservationStatus.RESERVATION_STATUS_RELEASED);
    expect((await sc.admin.consumption.releaseReservation({ tenantId, reservationId: first.reservationId })).status).toBe(ReservationStatus.RESERVATION_STATUS_RELEASED);
    expect(await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'prod'))).toMatchObject({ remaining: 100 });

    // Commit another with more than estimated: recorded as a normal event; a retry is a duplicate.
    const commit = { tenantId, reservationId: second.reservationId, credits: 150, capability: '', quantity: 0, occurredAt: undefined };
    const committed = await sc.admin.consumption.commitReservation(commit);
    expect(committed.result).toMatchObject({ credits: 150, duplicate: false });
    expect((await sc.admin.consumption.commitReservation(commit)).result).toMatchObject({ credits: 150, duplicate: true });
    expect((await sc.admin.consumption.releaseReservation({ tenantId, reservationId: second.reservationId })).status).toBe(ReservationStatus.RESERVATION_STATUS_COMMITTED);
  });

  it('a reservation is idempotent per key and releases itself at its expiry', async () => {
    const { tenantId } = await buildTenant(sc.admin, { name: 'expiry', entitlements: [{ addOnUnits: 1 }], environments: [{ id: 'prod', allocation: 1_000 }] });
    const req = reserveReq(tenantId, 1_000, freshKey('rsv'), 60);
    const a = await sc.admin.consumption.reserveCredits(req);
    const b = await sc.admin.consumption.reserveCredits(req);
    expect(a).toMatchObject({ allowed: true, duplicate: false, status: ReservationStatus.RESERVATION_STATUS_HELD });
    expect(b).toMatchObject({ allowed: true, duplicate: true, reservationId: a.reservationId });
    await expect(sc.admin.consumption.reserveCredits({ ...req, credits: 5 })).rejects.toMatchObject({ code: 6 });
    expect(await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'prod'))).toMatchObject({ remaining: 0 });
    // Move the core's clock past the ttl: no scheduler, no call on the reservation, and it no longer counts.
    await sc.admin.maintenance.setTestClock({ now: new Date(Date.now() + 61_000) });
    expect(await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'prod'))).toMatchObject({ remaining: 1_000 });
    expect((await sc.admin.consumption.releaseReservation({ tenantId, reservationId: a.reservationId })).status).toBe(ReservationStatus.RESERVATION_STATUS_EXPIRED);
  });

  it('DUAL: Copilot packs and allocations, a maker never blocked, a trial refused', async () => {
    const { tenantId } = await buildTenant(sc.admin, { name: 'dual', environments: [{ id: 'prod' }, { id: 'dev' }] });
    const tenant = await sc.admin.admin.updateTenantSettings({ tenantId, thresholds: undefined, licensingModel: LicensingModel.LICENSING_MODEL_DUAL });
    expect(tenant.tenant?.licensingModel).toBe(LicensingModel.LICENSING_MODEL_DUAL);
    // Nothing at all yet: RUN refused, makers go on.
    expect(await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'dev'))).toMatchObject({ allowed: false, reason: DenialReason.DENIAL_REASON_ENTITLEMENT_NOT_AVAILABLE });
    for (const op of [Operation.OPERATION_MAKER, Operation.OPERATION_TEST, Operation.OPERATION_TRAIN]) {
      expect(await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'dev', op))).toMatchObject({ allowed: true });
    }
    await expect(sc.admin.admin.startTrial({ tenantId, userId: 'ann' })).rejects.toMatchObject({ code: 9 });

    await sc.admin.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_COPILOT_PACK, sku: '', quantity: 2, firstPeriod: '', lastPeriod: '' });
    await expect(
      sc.admin.admin.setAllocation({ tenantId, environmentId: 'prod', credits: 60_000, currency: Currency.CURRENCY_COPILOT }),
    ).rejects.toMatchObject({ code: 9 });
    await sc.admin.admin.setAllocation({ tenantId, environmentId: 'prod', credits: 20_000, currency: Currency.CURRENCY_COPILOT });
    const cap = await sc.admin.admin.getCapacity({ tenantId, period: '' });
    expect(cap.copilot).toMatchObject({ capacity: 50_000, allocated: 20_000, unassigned: 30_000, paygActive: false });
    expect(cap.capacity).toBe(0);
    const acc = await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'prod'));
    expect(acc).toMatchObject({ allowed: true, stage: Stage.STAGE_NORMAL, remaining: 0, copilotRemaining: '50000' });
  });

  it('DUAL: balances and stage alerts show the stage CheckAccess shows (both currencies, no grace), CLASSIC its own', async () => {
    // Capacity 1,000,000 with 1,000 allocated to prod; 1,300 credits-only consumed: 300 AI Builder overage.
    const build = (name: string) =>
      buildTenant(sc.admin, { name, entitlements: [{ addOnUnits: 1 }], environments: [{ id: 'prod', allocation: 1_000 }] });
    const classic = (await build('stage-classic')).tenantId;
    const dualTenant = (await build('stage-dual')).tenantId;
    await sc.admin.admin.updateTenantSettings({ tenantId: dualTenant, thresholds: undefined, licensingModel: LicensingModel.LICENSING_MODEL_DUAL });
    await sc.admin.admin.addEntitlement({ tenantId: dualTenant, kind: EntitlementKind.ENTITLEMENT_KIND_COPILOT_PACK, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
    for (const tenantId of [classic, dualTenant]) {
      const r = await sc.admin.consumption.recordConsumptionBatch({
        events: [consumptionEvent({ tenantId, environmentId: 'prod', credits: 1_000 }), consumptionEvent({ tenantId, environmentId: 'prod', credits: 300 })],
      });
      expect(r.results.every((x) => x.error === undefined)).toBe(true);
    }
    const shown = async (tenantId: string) => {
      const access = await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'prod'));
      const env = await sc.admin.reporting.getBalance({ tenantId, environmentId: 'prod', userId: '', period: '' });
      const list = await sc.admin.reporting.listEnvironmentBalances({ tenantId, period: '' });
      return { access: access.stage, env: env.stage, listed: list.environments.find((e) => e.environmentId === 'prod')?.stage, reason: env.reason };
    };
    // CLASSIC: 130% of the allocation is over the blocked threshold (125%), everywhere.
    expect(await shown(classic)).toMatchObject({ access: Stage.STAGE_BLOCKED, env: Stage.STAGE_BLOCKED, listed: Stage.STAGE_BLOCKED });
    // DUAL: AI Builder credits are used up but the Copilot pack is untouched: not blocked, and no grace stage anywhere.
    const dualShown = await shown(dualTenant);
    expect(dualShown.access).toBe(Stage.STAGE_NORMAL);
    expect(dualShown).toEqual({ access: dualShown.access, env: dualShown.access, listed: dualShown.access, reason: DenialReason.DENIAL_REASON_UNSPECIFIED });
    // Stage alerts are raised in each tenant's queue after the group: a call through the queue comes after them.
    const stagesAlerted = async (tenantId: string) => {
      await sc.admin.admin.getCapacity({ tenantId, period: '' });
      const { alerts } = await sc.admin.alerts.listAlerts({ tenantId, afterCursor: 0, limit: 100 });
      return alerts.filter((a) => a.environmentId === 'prod' && a.stage !== Stage.STAGE_UNSPECIFIED).map((a) => a.stage);
    };
    expect(await stagesAlerted(classic)).toContain(Stage.STAGE_BLOCKED);
    expect((await stagesAlerted(dualTenant)).filter((st) => st === Stage.STAGE_OVERAGE || st === Stage.STAGE_BLOCKED)).toEqual([]);
  });

  it('DUAL: a license tenant has no seeded AI Builder credits after 2026-10; CLASSIC keeps them', async () => {
    const { tenantId } = await buildTenant(sc.admin, {
      name: 'seeded',
      entitlements: [{ sku: 'POWER_AUTOMATE_PREMIUM', seats: 10, firstPeriod: '2026-09' }],
      environments: [{ id: 'prod' }],
    });
    expect((await sc.admin.admin.getCapacity({ tenantId, period: '2026-11' })).capacity).toBe(50_000);
    await sc.admin.admin.updateTenantSettings({ tenantId, thresholds: undefined, licensingModel: LicensingModel.LICENSING_MODEL_DUAL });
    expect((await sc.admin.admin.getCapacity({ tenantId, period: '2026-10' })).capacity).toBe(50_000);
    expect((await sc.admin.admin.getCapacity({ tenantId, period: '2026-11' })).capacity).toBe(0);
  });
});
