/**
 * The forecast job against a real core and Redis: when the 7-day burn rate says an environment runs out before
 * its period ends, the job raises one FORECAST_EXHAUSTION alert; running it again in the same period raises none.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AlertKind } from '@allot/contracts';
import { createSettableClock } from '../src/clock';
import { alertsOf, consumption, createTenant, startHarness, type Harness } from './support/scheduler-harness';

const DAY = 24 * 3600 * 1000;

describe('forecast job', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stopApps();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('raises a forecast alert once per environment and period when credits run out before the period ends', async () => {
    const now = '2027-06-10T12:00:00Z';
    await h.setCoreClock(now);
    const tenantId = await createTenant(h.admin, {
      name: 'burn',
      timeZone: 'UTC',
      addOnUnits: 1,
      environments: [{ id: 'hot', allocation: 10_000 }, { id: 'calm', allocation: 10_000 }],
    });
    // hot: 700 a day over the last 7 days → 4,900 used, 20 days left x 700 = 14,000 more: runs out on 18 June.
    // calm: 70 a day → 490 used, 1,890 projected: lasts the month.
    for (let d = 0; d < 7; d += 1) {
      const occurredAt = new Date(Date.parse(now) - d * DAY - 3_600_000);
      await h.admin.consumption.recordConsumption({ ...consumption({ tenantId, environmentId: 'hot', credits: 700, occurredAt }), idempotencyKey: `hot-${d}` });
      await h.admin.consumption.recordConsumption({ ...consumption({ tenantId, environmentId: 'calm', credits: 70, occurredAt }), idempotencyKey: `calm-${d}` });
    }
    const app = h.newApp({ clock: createSettableClock(now) });
    await app.startWorkers();

    const first = await app.runJob('forecast', { tenantId });
    expect(first.ok).toBe(true);
    const alerts = await alertsOf(h.admin, tenantId, AlertKind.ALERT_KIND_FORECAST_EXHAUSTION);
    expect(alerts.map((a) => [a.environmentId, a.period])).toEqual([['hot', '2027-06']]);
    // 4,900 + 700 x 7 = 9,800 by the 17th, 10,500 by the 18th; 20 days left → 18,900 projected.
    expect(alerts[0]?.message).toContain('2027-06-18');
    expect(alerts[0]?.message).toContain('projected 18900');

    const again = await app.runJob('forecast', { tenantId });
    expect(again.ok).toBe(true);
    expect(await alertsOf(h.admin, tenantId, AlertKind.ALERT_KIND_FORECAST_EXHAUSTION)).toHaveLength(1);
  });
});
