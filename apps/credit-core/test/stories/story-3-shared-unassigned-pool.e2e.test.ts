/**
 * Story 3: environments without an allocation share one unassigned pool (what one consumes, the other no longer
 * has), an allocated environment does not touch it, and with allow_unassigned=false the pool environments have
 * nothing to draw from (NO_CAPACITY) while consumption is still recorded as overage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DenialReason, DrawSource, Stage } from '@allot/contracts';
import { startStoryCore, type StoryCore } from './support/story-core';
import { buildTenant } from './support/tenant-builder';
import { accessQuery, consumptionEvent } from './support/consumption-events';

// One POWER_AUTOMATE_PREMIUM seat: 5,000 credits a month.
const CAPACITY = 5_000;
const ALLOCATED = 1_000;
const POOL = CAPACITY - ALLOCATED; // 4,000

describe('story 3: the unassigned pool is shared, and allow_unassigned=false closes it', () => {
  let sc: StoryCore;
  let tenantId = '';
  beforeAll(async () => {
    sc = await startStoryCore();
    const t = await buildTenant(sc.admin, {
      name: 'northwind',
      entitlements: [{ sku: 'POWER_AUTOMATE_PREMIUM', seats: 1 }],
      environments: [{ id: 'finance', allocation: ALLOCATED }, { id: 'sales' }, { id: 'support' }],
    });
    tenantId = t.tenantId;
    expect(t.lastSummary).toMatchObject({ capacity: CAPACITY, allocated: ALLOCATED, unassigned: POOL });
  });
  afterAll(async () => {
    await sc?.stop();
  });

  const record = (environmentId: string, credits: number) =>
    sc.admin.consumption.recordConsumption(consumptionEvent({ tenantId, environmentId, credits }));
  const access = (environmentId: string) => sc.admin.consumption.checkAccess(accessQuery(tenantId, environmentId));
  const balance = (environmentId: string) => sc.admin.reporting.getBalance({ tenantId, environmentId, userId: '', period: '' });

  it('gives both pool environments the whole 4,000-credit pool before anything is used', async () => {
    for (const env of ['sales', 'support']) {
      expect(await access(env)).toMatchObject({ allowed: true, stage: Stage.STAGE_NORMAL, remaining: POOL });
      expect(await balance(env)).toMatchObject({ available: POOL, remaining: POOL, sharesPool: true });
    }
    expect(await balance('finance')).toMatchObject({ available: ALLOCATED, remaining: ALLOCATED, sharesPool: false });
  });

  it('reduces the other environment\'s remaining when one consumes from the pool', async () => {
    const res = await record('sales', 1_000);
    expect(res.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_UNASSIGNED, credits: 1_000 }]);
    expect(res.stage).toBe(Stage.STAGE_NORMAL);
    expect(await access('support')).toMatchObject({ allowed: true, remaining: POOL - 1_000 });
    expect(await balance('support')).toMatchObject({ available: POOL, remaining: 3_000 });

    const res2 = await record('support', 2_500);
    expect(res2.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_UNASSIGNED, credits: 2_500 }]);
    // The pool is judged as one: 3,500 of 4,000 = 87.5% puts both pool environments in WARNING.
    expect(res2.stage).toBe(Stage.STAGE_WARNING);
    expect(await access('sales')).toMatchObject({ allowed: true, stage: Stage.STAGE_WARNING, remaining: 500 });
    expect(await access('support')).toMatchObject({ allowed: true, stage: Stage.STAGE_WARNING, remaining: 500 });
  });

  it('does not take an allocated environment\'s consumption from the pool', async () => {
    const res = await record('finance', 200);
    expect(res.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_ALLOCATION, credits: 200 }]);
    expect(await access('sales')).toMatchObject({ remaining: 500 });
    expect(await access('finance')).toMatchObject({ allowed: true, stage: Stage.STAGE_NORMAL, remaining: ALLOCATED - 200 });
    const tenant = await sc.admin.reporting.getBalance({ tenantId, environmentId: '', userId: '', period: '' });
    expect(tenant).toMatchObject({ capacity: CAPACITY, allocated: ALLOCATED, consumed: 1_000 + 2_500 + 200 });
  });

  it('answers NO_CAPACITY for pool environments once allow_unassigned is false, and records their work as overage', async () => {
    const upd = await sc.admin.admin.updateTenantSettings({ tenantId, allowUnassigned: false, timeZone: undefined, displayName: undefined, thresholds: undefined });
    expect(upd.tenant?.allowUnassigned).toBe(false);

    for (const env of ['sales', 'support']) {
      expect(await access(env)).toMatchObject({
        allowed: false,
        stage: Stage.STAGE_BLOCKED,
        reason: DenialReason.DENIAL_REASON_NO_CAPACITY,
        remaining: 0,
      });
    }
    // The allocated environment keeps its own credits.
    expect(await access('finance')).toMatchObject({ allowed: true, stage: Stage.STAGE_NORMAL, remaining: 800 });

    const res = await record('sales', 100);
    expect(res.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_OVERAGE, credits: 100 }]);
    expect(res.stage).toBe(Stage.STAGE_BLOCKED);
  });

  it('opens the pool again on the next call when allow_unassigned goes back to true', async () => {
    await sc.admin.admin.updateTenantSettings({ tenantId, allowUnassigned: true, timeZone: undefined, displayName: undefined, thresholds: undefined });
    const acc = await access('support');
    expect(acc.allowed).toBe(true);
    expect(acc.reason).toBe(DenialReason.DENIAL_REASON_UNSPECIFIED);
    // 3,500 credits were drawn from the pool (the 100 recorded while it was closed went to overage): 87.5-90%,
    // WARNING whichever way the closed-pool overage is counted.
    expect(acc.stage).toBe(Stage.STAGE_WARNING);
    expect(acc.remaining).toBeGreaterThan(0);
  });
});
