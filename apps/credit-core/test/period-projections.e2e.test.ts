/**
 * Projections cannot lose a period. In the first 72 hours of a month, a reader looks at a few future periods,
 * then one batch records an event of this month and a late event of last month: both months must show their
 * consumption at once, after a restart, and after Reconcile (which must find nothing to repair).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStoryCore, type StoryCore } from './stories/support/story-core';
import { buildTenant } from './stories/support/tenant-builder';
import { consumptionEvent } from './stories/support/consumption-events';

const NOW = '2027-03-02T09:00:00Z';

describe('period projections in the first 72 hours of a month', () => {
  let sc: StoryCore;
  let tenantId = '';
  beforeAll(async () => {
    sc = await startStoryCore();
    await sc.admin.maintenance.setTestClock({ now: new Date('2027-02-10T12:00:00Z') });
    tenantId = (await buildTenant(sc.admin, { name: 'periods', entitlements: [{ addOnUnits: 1 }], environments: [{ id: 'prod', allocation: 100_000 }] })).tenantId;
    await sc.admin.maintenance.setTestClock({ now: new Date(NOW) });
  });
  afterAll(async () => {
    await sc?.stop();
  });

  const consumed = async (period: string, environmentId = ''): Promise<number> =>
    (await sc.admin.reporting.getBalance({ tenantId, environmentId, userId: '', period })).consumed;

  it('shows this month and the late event of last month, however the periods were read before', { timeout: 120_000 }, async () => {
    // More periods than a tenant keeps in memory, all after the current one.
    for (const period of ['2027-04', '2027-05', '2027-06', '2027-07', '2027-08', '2027-09', '2027-10', '2027-11']) expect(await consumed(period)).toBe(0);
    const res = await sc.admin.consumption.recordConsumptionBatch({
      events: [
        consumptionEvent({ tenantId, environmentId: 'prod', occurredAt: new Date('2027-03-02T08:00:00Z'), credits: 1_000 }),
        consumptionEvent({ tenantId, environmentId: 'prod', occurredAt: new Date('2027-02-27T22:00:00Z'), credits: 500 }),
      ],
    });
    expect(res.results.map((r) => [r.result?.period, r.error?.message ?? ''])).toEqual([
      ['2027-03', ''],
      ['2027-02', ''],
    ]);
    const seen = async () => ({
      march: await consumed(''),
      marchProd: await consumed('', 'prod'),
      february: await consumed('2027-02'),
      februaryProd: await consumed('2027-02', 'prod'),
      april: await consumed('2027-04'),
    });
    const expected = { march: 1_000, marchProd: 1_000, february: 500, februaryProd: 500, april: 0 };
    expect(await seen()).toEqual(expected);
    await sc.core.restart();
    expect(await seen()).toEqual(expected);
    const reconcile = await sc.admin.maintenance.reconcile({ tenantId });
    expect(reconcile.fixes).toEqual([]);
    expect(await seen()).toEqual(expected);
  });
});
