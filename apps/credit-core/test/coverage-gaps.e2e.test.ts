/**
 * Rules of docs/credit-rules.md no other test exercised end to end, over real gRPC against FerretDB (or MONGODB_URI),
 * with the test clock: over-allocation after an entitlement ends, tenant_pool_fallback with its two switches,
 * trial extensions, and the time limits of consumption events (5 minutes ahead, 72 hours late).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CoreClient } from '@allot/grpc-client';
import { AlertKind, DenialReason, DrawSource, EntitlementKind, Operation, Stage, TrialStatus, type RecordConsumptionRequest } from '@allot/contracts';
import { refused, status, useInProcessCore } from './support/in-process-core';
import { alertsOf as alertsOfTenant, creditEvent, tenantWith } from './support/builders';

const ADMIN_KEY = 'coverage-gaps-admin-key-0123456789';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('credit core: docs/credit-rules.md behaviours not covered elsewhere', () => {
  const harness = useInProcessCore(ADMIN_KEY);
  let admin: CoreClient;
  beforeAll(() => {
    admin = harness.admin;
  });

  const setClock = async (at: Date | string): Promise<Date> => {
    const now = typeof at === 'string' ? new Date(at) : at;
    await admin.maintenance.setTestClock({ now });
    return now;
  };
  const event = (tenantId: string, environmentId: string, key: string, credits: number, occurredAt: Date, userId = 'u1'): RecordConsumptionRequest =>
    creditEvent({ tenantId, environmentId, idempotencyKey: key, credits, occurredAt, userId });
  const alertsOf = (tenantId: string, kind: AlertKind) => alertsOfTenant(admin, tenantId, kind);
  const newTenant = async (tenantId: string): Promise<void> => {
    await admin.admin.createTenant({ tenantId, displayName: tenantId, timeZone: 'UTC' });
  };
  const addLicense = async (tenantId: string, sku: string, seats: number): Promise<void> => {
    await admin.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_LICENSE, sku, quantity: seats, firstPeriod: '', lastPeriod: '' });
  };
  const draws = (res: { draws: Array<{ source: DrawSource; credits: number }> }) => res.draws.map((d) => [d.source, d.credits]);

  it('over-allocation: an add-on ending in 2027-06 leaves 900,000 allocated on 5,000 capacity in 2027-07, alerted once; lowering is allowed, raising refused', async () => {
    const t = 'over-alloc';
    await setClock('2027-06-10T12:00:00Z');
    await newTenant(t);
    const addOn = await admin.admin.addEntitlement({
      tenantId: t,
      kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON,
      sku: '',
      quantity: 1,
      firstPeriod: '',
      lastPeriod: '',
    });
    await addLicense(t, 'POWER_APPS_PREMIUM', 10);
    await admin.admin.createEnvironment({ tenantId: t, environmentId: 'sales', displayName: 'Sales', tenantPoolFallback: false });
    await admin.admin.createEnvironment({ tenantId: t, environmentId: 'ops', displayName: 'Ops', tenantPoolFallback: false });
    await admin.admin.setAllocation({ tenantId: t, environmentId: 'sales', credits: 600_000 });
    await admin.admin.setAllocation({ tenantId: t, environmentId: 'ops', credits: 300_000 });
    const ended = await admin.admin.endEntitlement({ tenantId: t, entitlementId: addOn.entitlement?.entitlementId ?? '', lastPeriod: '2027-06' });
    expect(ended.entitlement?.lastPeriod).toBe('2027-06');
    // Still fine in 2027-06: 1,000,000 + 10 x 500.
    expect(await admin.admin.getCapacity({ tenantId: t, period: '' })).toMatchObject({
      period: '2027-06',
      capacity: 1_005_000,
      allocated: 900_000,
      unassigned: 105_000,
      overAllocated: false,
      overAllocatedBy: 0,
    });
    expect(await alertsOf(t, AlertKind.ALERT_KIND_OVER_ALLOCATED)).toEqual([]);

    await setClock('2027-07-01T08:00:00Z');
    expect(await admin.admin.getCapacity({ tenantId: t, period: '' })).toMatchObject({
      period: '2027-07',
      capacity: 5_000,
      allocated: 900_000,
      unassigned: 0,
      overAllocated: true,
      overAllocatedBy: 895_000,
      allocations: [
        { environmentId: 'sales', displayName: 'Sales', credits: 600_000 },
        { environmentId: 'ops', displayName: 'Ops', credits: 300_000 },
      ],
    });
    expect((await admin.reporting.getBalance({ tenantId: t, environmentId: 'sales', userId: '', period: '' })).overAllocated).toBe(true);

    // The scheduler's month close raises it for the new period.
    const close = await admin.maintenance.closePeriod({ tenantId: t, period: '', now: undefined });
    expect(close).toMatchObject({ period: '2027-06', alreadyClosed: false, currentPeriod: '2027-07' });
    const alerts = await alertsOf(t, AlertKind.ALERT_KIND_OVER_ALLOCATED);
    expect(alerts.map((a) => [a.period, a.consumed, a.available])).toEqual([['2027-07', 900_000, 5_000]]);
    expect(alerts[0]?.message).toContain('over by 895000');

    // Triggered again (another close, the same end again): still one alert.
    expect((await admin.maintenance.closePeriod({ tenantId: t, period: '', now: undefined })).alreadyClosed).toBe(true);
    expect((await admin.maintenance.closePeriod({ tenantId: t, period: '2027-06', now: undefined })).alreadyClosed).toBe(true);
    await admin.admin.endEntitlement({ tenantId: t, entitlementId: addOn.entitlement?.entitlementId ?? '', lastPeriod: '2027-06' });
    expect(await alertsOf(t, AlertKind.ALERT_KIND_OVER_ALLOCATED)).toHaveLength(1);

    // Allocations stay until an admin lowers them; lowering is allowed even while still over.
    const lowered = await admin.admin.setAllocation({ tenantId: t, environmentId: 'sales', credits: 500_000 });
    expect(lowered.summary).toMatchObject({ capacity: 5_000, allocated: 800_000, unassigned: 0, overAllocated: true, overAllocatedBy: 795_000 });
    const raise = await refused(admin.admin.setAllocation({ tenantId: t, environmentId: 'ops', credits: 300_001 }));
    expect(raise.code).toBe(status.FAILED_PRECONDITION);
    expect(raise.field).toBe('credits');
    expect(raise.details).toContain('only 0 credits unassigned');
    expect((await admin.admin.getCapacity({ tenantId: t, period: '' })).allocated).toBe(800_000);

    // Fixed: 0 + 3,000 of 5,000; raising past the 2,000 now free is refused saying so.
    await admin.admin.setAllocation({ tenantId: t, environmentId: 'sales', credits: 0 });
    const fixed = await admin.admin.setAllocation({ tenantId: t, environmentId: 'ops', credits: 3_000 });
    expect(fixed.summary).toMatchObject({ capacity: 5_000, allocated: 3_000, unassigned: 2_000, overAllocated: false, overAllocatedBy: 0 });
    const tooMuch = await refused(admin.admin.setAllocation({ tenantId: t, environmentId: 'ops', credits: 5_001 }));
    expect(tooMuch.code).toBe(status.FAILED_PRECONDITION);
    expect(tooMuch.details).toContain('only 2000 credits unassigned');
    expect(tooMuch.details).toContain('at most 5000');
    expect((await admin.admin.setAllocation({ tenantId: t, environmentId: 'ops', credits: 5_000 })).summary).toMatchObject({
      allocated: 5_000,
      unassigned: 0,
      overAllocated: false,
    });
    expect(await alertsOf(t, AlertKind.ALERT_KIND_OVER_ALLOCATED)).toHaveLength(1);
  });

  it('tenant_pool_fallback: 1,500 in an environment with 1,000 allocated draws 1,000 + 500 from the pool; allow_unassigned=false or fallback off sends the excess to overage', async () => {
    const t = 'fallback';
    const now = await setClock('2027-08-10T12:00:00Z');
    const at = new Date(now.getTime() - MINUTE);
    await newTenant(t);
    await addLicense(t, 'POWER_APPS_PREMIUM', 10); // 5,000
    await admin.admin.createEnvironment({ tenantId: t, environmentId: 'fb', displayName: 'Fallback', tenantPoolFallback: true });
    await admin.admin.createEnvironment({ tenantId: t, environmentId: 'shared', displayName: 'Shared', tenantPoolFallback: false });
    expect((await admin.admin.setAllocation({ tenantId: t, environmentId: 'fb', credits: 1_000 })).summary).toMatchObject({
      capacity: 5_000,
      allocated: 1_000,
      unassigned: 4_000,
    });

    const first = await admin.consumption.recordConsumption(event(t, 'fb', 'fb-1', 1_500, at));
    expect(draws(first)).toEqual([
      [DrawSource.DRAW_SOURCE_ALLOCATION, 1_000],
      [DrawSource.DRAW_SOURCE_UNASSIGNED, 500],
    ]);
    const balance = await admin.reporting.getBalance({ tenantId: t, environmentId: 'fb', userId: '', period: '' });
    expect(balance).toMatchObject({ available: 1_500, consumed: 1_500, overage: 0, remaining: 3_500, stage: Stage.STAGE_WARNING });
    // The 500 counts as fb's consumption, but the pool shared by environments without an allocation has 500 less left.
    const pool = await admin.reporting.getBalance({ tenantId: t, environmentId: 'shared', userId: '', period: '' });
    expect(pool).toMatchObject({ sharesPool: true, available: 4_000, consumed: 0, remaining: 3_500 });

    await admin.admin.updateTenantSettings({ tenantId: t, allowUnassigned: false, thresholds: undefined });
    const closed = await admin.consumption.recordConsumption(event(t, 'fb', 'fb-2', 200, at));
    expect(draws(closed)).toEqual([[DrawSource.DRAW_SOURCE_OVERAGE, 200]]);

    await admin.admin.updateTenantSettings({ tenantId: t, allowUnassigned: true, thresholds: undefined });
    const reopened = await admin.consumption.recordConsumption(event(t, 'fb', 'fb-3', 100, at));
    expect(draws(reopened)).toEqual([[DrawSource.DRAW_SOURCE_UNASSIGNED, 100]]);

    expect((await admin.admin.updateEnvironmentSettings({ tenantId: t, environmentId: 'fb', tenantPoolFallback: false })).environment?.tenantPoolFallback).toBe(false);
    const noFallback = await admin.consumption.recordConsumption(event(t, 'fb', 'fb-4', 300, at));
    expect(draws(noFallback)).toEqual([[DrawSource.DRAW_SOURCE_OVERAGE, 300]]);

    const after = await admin.reporting.getBalance({ tenantId: t, environmentId: 'fb', userId: '', period: '' });
    // 1,000 allocated + 600 drawn from the pool; 2,100 consumed of which 500 overage.
    expect(after).toMatchObject({ available: 1_600, consumed: 2_100, overage: 500, remaining: 0 });
    expect(after.consumedBySource.map((d) => [d.source, d.credits])).toEqual([
      [DrawSource.DRAW_SOURCE_ALLOCATION, 1_000],
      [DrawSource.DRAW_SOURCE_UNASSIGNED, 600],
      [DrawSource.DRAW_SOURCE_TRIAL, 0],
      [DrawSource.DRAW_SOURCE_OVERAGE, 500],
    ]);
  });

  it('ExtendTrial: an expired trial is refused NO_CAPACITY, extended twice with a fresh 200,000 for 30 days, a third time refused; an active one cannot be extended', async () => {
    const t = 'trial-ext';
    const start = await setClock('2027-09-01T10:00:00Z');
    await newTenant(t);
    await admin.admin.createEnvironment({ tenantId: t, environmentId: 'sandbox', displayName: 'Sandbox', tenantPoolFallback: false });
    const access = () =>
      admin.consumption.checkAccess({ tenantId: t, environmentId: 'sandbox', userId: 'alice', operation: Operation.OPERATION_RUN });

    const { trial } = await admin.admin.startTrial({ tenantId: t, userId: 'alice' });
    expect(trial).toMatchObject({ credits: 200_000, consumed: 0, extensions: 0, status: TrialStatus.TRIAL_STATUS_ACTIVE });
    expect(Math.abs((trial?.expiresAt?.getTime() ?? 0) - (start.getTime() + 30 * DAY))).toBeLessThan(60_000);
    const used = await admin.consumption.recordConsumption(event(t, 'sandbox', 'tr-1', 50_000, new Date(start.getTime() + MINUTE), 'alice'));
    expect(draws(used)).toEqual([[DrawSource.DRAW_SOURCE_TRIAL, 50_000]]);
    expect(await access()).toMatchObject({ allowed: true, remaining: 150_000 });

    // Active: no extension.
    const early = await refused(admin.admin.extendTrial({ tenantId: t, userId: 'alice' }));
    expect(early.code).toBe(status.FAILED_PRECONDITION);
    expect(early.details).toContain('still active');

    const firstExpiry = await setClock(new Date(start.getTime() + 31 * DAY));
    const expired = await access();
    expect(expired).toMatchObject({ allowed: false, stage: Stage.STAGE_BLOCKED, reason: DenialReason.DENIAL_REASON_NO_CAPACITY, remaining: 0 });
    expect(expired.message).toContain('alice has no usable trial');

    const once = (await admin.admin.extendTrial({ tenantId: t, userId: 'alice' })).trial;
    expect(once).toMatchObject({ credits: 200_000, consumed: 0, remaining: 200_000, extensions: 1, status: TrialStatus.TRIAL_STATUS_ACTIVE });
    expect(Math.abs((once?.expiresAt?.getTime() ?? 0) - (firstExpiry.getTime() + 30 * DAY))).toBeLessThan(60_000);
    expect(await access()).toMatchObject({ allowed: true, remaining: 200_000 });
    expect((await refused(admin.admin.extendTrial({ tenantId: t, userId: 'alice' }))).code).toBe(status.FAILED_PRECONDITION);

    await setClock(new Date(firstExpiry.getTime() + 31 * DAY));
    expect((await access()).reason).toBe(DenialReason.DENIAL_REASON_NO_CAPACITY);
    const twice = (await admin.admin.extendTrial({ tenantId: t, userId: 'alice' })).trial;
    expect(twice).toMatchObject({ credits: 200_000, consumed: 0, extensions: 2, status: TrialStatus.TRIAL_STATUS_ACTIVE });
    expect(await access()).toMatchObject({ allowed: true, remaining: 200_000 });

    await setClock(new Date(firstExpiry.getTime() + 62 * DAY));
    expect((await access()).reason).toBe(DenialReason.DENIAL_REASON_NO_CAPACITY);
    const third = await refused(admin.admin.extendTrial({ tenantId: t, userId: 'alice' }));
    expect(third.code).toBe(status.FAILED_PRECONDITION);
    expect((await access()).allowed).toBe(false);
    // Nobody else ever had a trial: extending one that does not exist is NOT_FOUND.
    expect((await refused(admin.admin.extendTrial({ tenantId: t, userId: 'bob' }))).code).toBe(status.NOT_FOUND);
  });

  it('event time: 6 minutes ahead is INVALID_ARGUMENT on occurred_at and writes nothing; 71 h after the period end lands in the old period, 73 h is FAILED_PRECONDITION', async () => {
    const t = 'event-time';
    const now = await setClock('2027-11-10T12:00:00Z');
    await tenantWith(admin, t, 10_000, { timeZone: 'UTC' });
    const balance = (period: string) => admin.reporting.getBalance({ tenantId: t, environmentId: 'prod', userId: '', period });

    const future = await refused(admin.consumption.recordConsumption(event(t, 'prod', 'ahead-1', 700, new Date(now.getTime() + 6 * MINUTE))));
    expect([future.code, future.field]).toEqual([status.INVALID_ARGUMENT, 'occurred_at']);
    expect((await balance('')).consumed).toBe(0);
    // Nothing was written under the key: the same key with a valid time is a new event, not a duplicate.
    const same = await admin.consumption.recordConsumption(event(t, 'prod', 'ahead-1', 700, new Date(now.getTime() - MINUTE)));
    expect([same.duplicate, same.period, same.credits]).toEqual([false, '2027-11', 700]);

    // 2027-11 ends at 2027-12-01T00:00Z; 71 h later the late event still goes into it.
    await setClock('2027-12-03T23:00:00Z');
    const late = await admin.consumption.recordConsumption(event(t, 'prod', 'late-71h', 400, new Date('2027-11-30T20:00:00Z')));
    expect([late.period, late.credits, late.duplicate]).toEqual(['2027-11', 400, false]);
    expect(draws(late)).toEqual([[DrawSource.DRAW_SOURCE_ALLOCATION, 400]]);
    expect(await balance('2027-11')).toMatchObject({ period: '2027-11', consumed: 1_100, remaining: 8_900 });
    expect(await balance('')).toMatchObject({ period: '2027-12', consumed: 0 });

    await setClock('2027-12-04T01:00:00Z');
    const tooLate = await refused(admin.consumption.recordConsumption(event(t, 'prod', 'late-73h', 400, new Date('2027-11-30T21:00:00Z'))));
    expect([tooLate.code, tooLate.field]).toEqual([status.FAILED_PRECONDITION, 'occurred_at']);
    expect(tooLate.details).toContain('72 h');
    expect((await balance('2027-11')).consumed).toBe(1_100);
    expect((await balance('')).consumed).toBe(0);
  });
});
