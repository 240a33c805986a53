/**
 * Story 1: an admin with one capacity add-on and 10 POWER_APPS_PREMIUM seats splits the month's credits over
 * environments, and an allocation that would exceed capacity is refused with the free amount in the message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntitlementKind } from '@allot/contracts';
import { startStoryCore, type StoryCore } from './support/story-core';
import { uniqueTenantId } from './support/tenant-builder';
import { expectRefused, GrpcStatus } from './support/call-errors';

const ADD_ON_UNITS = 1;
const CREDITS_PER_ADD_ON_UNIT = 1_000_000;
const SEATS = 10;
const POWER_APPS_PREMIUM_PER_SEAT = 500;
const CAPACITY = ADD_ON_UNITS * CREDITS_PER_ADD_ON_UNIT + SEATS * POWER_APPS_PREMIUM_PER_SEAT; // 1,005,000

describe('story 1: add-on + 10 POWER_APPS_PREMIUM seats, allocations up to capacity', () => {
  let sc: StoryCore;
  const tenantId = uniqueTenantId('contoso');
  beforeAll(async () => {
    sc = await startStoryCore();
  });
  afterAll(async () => {
    await sc?.stop();
  });

  it('adds the entitlements and reports capacity 1,005,000, all unassigned', async () => {
    expect(CAPACITY).toBe(1_005_000);
    const created = await sc.admin.admin.createTenant({ tenantId, displayName: 'Contoso', timeZone: '' });
    expect(created.tenant).toMatchObject({ tenantId, displayName: 'Contoso', allowUnassigned: true });
    expect(created.tenant?.timeZone === '' || created.tenant?.timeZone === 'UTC').toBe(true);

    const addOn = await sc.admin.admin.addEntitlement({
      tenantId,
      kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON,
      sku: '',
      quantity: ADD_ON_UNITS,
      firstPeriod: '',
      lastPeriod: '',
    });
    expect(addOn.entitlement?.monthlyCredits).toBe(1_000_000);
    const seats = await sc.admin.admin.addEntitlement({
      tenantId,
      kind: EntitlementKind.ENTITLEMENT_KIND_LICENSE,
      sku: 'POWER_APPS_PREMIUM',
      quantity: SEATS,
      firstPeriod: '',
      lastPeriod: '',
    });
    expect(seats.entitlement?.monthlyCredits).toBe(5_000);
    expect(seats.summary).toMatchObject({ capacity: CAPACITY, allocated: 0, unassigned: CAPACITY, overAllocated: false });

    const cap = await sc.admin.admin.getCapacity({ tenantId, period: '' });
    expect(cap).toMatchObject({ capacity: 1_005_000, allocated: 0, unassigned: 1_005_000, overAllocated: false });
    expect(cap.period).toMatch(/^\d{4}-\d{2}$/);
  });

  it('allocates 600,000 then 300,000, leaving 105,000 unassigned', async () => {
    for (const id of ['prod', 'test', 'sales']) {
      await sc.admin.admin.createEnvironment({ tenantId, environmentId: id, displayName: id.toUpperCase(), tenantPoolFallback: false });
    }
    const first = await sc.admin.admin.setAllocation({ tenantId, environmentId: 'prod', credits: 600_000 });
    expect(first.summary).toMatchObject({ capacity: CAPACITY, allocated: 600_000, unassigned: CAPACITY - 600_000 });
    expect(first.environment).toMatchObject({ environmentId: 'prod', allocation: 600_000 });

    const second = await sc.admin.admin.setAllocation({ tenantId, environmentId: 'test', credits: 300_000 });
    expect(second.summary).toMatchObject({ capacity: CAPACITY, allocated: 900_000, unassigned: 105_000 });

    const cap = await sc.admin.admin.getCapacity({ tenantId, period: '' });
    expect(cap).toMatchObject({ capacity: 1_005_000, allocated: 900_000, unassigned: 105_000, overAllocated: false });
    const lines = Object.fromEntries(cap.allocations.map((a) => [a.environmentId, a.credits]));
    expect(lines).toEqual({ prod: 600_000, test: 300_000 });
  });

  it('refuses a third allocation of 200,000 with FAILED_PRECONDITION naming the 105000 free, and changes nothing', async () => {
    const unassignedBefore = CAPACITY - 600_000 - 300_000;
    expect(unassignedBefore).toBe(105_000);
    await expectRefused(sc.admin.admin.setAllocation({ tenantId, environmentId: 'sales', credits: 200_000 }), {
      code: GrpcStatus.FAILED_PRECONDITION,
      message: '105000',
    });

    const cap = await sc.admin.admin.getCapacity({ tenantId, period: '' });
    expect(cap).toMatchObject({ capacity: 1_005_000, allocated: 900_000, unassigned: 105_000, overAllocated: false });
    expect(cap.allocations.map((a) => a.environmentId).sort()).toEqual(['prod', 'test']);
    const envs = await sc.admin.admin.listEnvironments({ tenantId });
    expect(envs.environments.find((e) => e.environmentId === 'sales')?.allocation).toBe(0);
  });

  it('accepts an allocation that uses exactly the free 105,000 (the sum may reach capacity)', async () => {
    const res = await sc.admin.admin.setAllocation({ tenantId, environmentId: 'sales', credits: 105_000 });
    expect(res.summary).toMatchObject({ capacity: CAPACITY, allocated: CAPACITY, unassigned: 0, overAllocated: false });
    // One credit more anywhere is above capacity.
    await expectRefused(sc.admin.admin.setAllocation({ tenantId, environmentId: 'prod', credits: 600_001 }), {
      code: GrpcStatus.FAILED_PRECONDITION,
    });
    expect(await sc.admin.admin.getCapacity({ tenantId, period: '' })).toMatchObject({ allocated: 1_005_000, unassigned: 0 });
  });
});
