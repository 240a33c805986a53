/**
 * Story 7: periods follow the tenant's zone. For a Pacific/Auckland tenant (UTC+13 in summer), local midnight of
 * 1 December 2026 is 2026-11-30T11:00Z: an event at local 23:59 lands in 2026-11, one at local 00:01 in 2026-12;
 * the new month starts from zero (so November's block is gone), November stays queryable, and a late event is
 * accepted into November for 72 hours after it ended, then refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DenialReason, DrawSource, Operation, Stage, UsageGroupBy } from '@allot/contracts';
import { startStoryCore, type StoryCore } from './support/story-core';
import { buildTenant } from './support/tenant-builder';
import { accessQuery, consumptionEvent } from './support/consumption-events';
import { expectRefused, GrpcStatus } from './support/call-errors';

const ZONE = 'Pacific/Auckland';
const ALLOCATION = 4_000;
/** Local midnight starting 2026-12-01 in Auckland (NZDT, UTC+13). */
const DEC_START = new Date('2026-11-30T11:00:00Z');
/** Local midnight starting 2027-01-01 in Auckland. */
const JAN_START = new Date('2026-12-31T11:00:00Z');

describe('story 7: the month boundary in Pacific/Auckland', () => {
  let sc: StoryCore;
  let tenantId = '';
  beforeAll(async () => {
    sc = await startStoryCore();
  });
  afterAll(async () => {
    await sc?.stop();
  });

  const setClock = async (iso: string) => {
    const res = await sc.admin.maintenance.setTestClock({ now: new Date(iso) });
    expect(Math.abs((res.now?.getTime() ?? 0) - Date.parse(iso))).toBeLessThan(60_000);
  };
  const record = (occurredAt: string, credits: number) =>
    sc.admin.consumption.recordConsumption(consumptionEvent({ tenantId, environmentId: 'prod', occurredAt: new Date(occurredAt), credits }));
  const balance = (period: string, environmentId = 'prod') =>
    sc.admin.reporting.getBalance({ tenantId, environmentId, userId: '', period });

  it('fills November (local) before midnight: 4,500 of 4,000, stage OVERAGE', async () => {
    await setClock('2026-11-30T10:00:00Z'); // 23:00 on 30 Nov in Auckland
    tenantId = (
      await buildTenant(sc.admin, {
        name: 'kiwi',
        timeZone: ZONE,
        entitlements: [{ addOnUnits: 1, firstPeriod: '2026-11' }],
        environments: [{ id: 'prod', allocation: ALLOCATION }],
      })
    ).tenantId;
    expect((await sc.admin.admin.getCapacity({ tenantId, period: '' })).period).toBe('2026-11');

    // 12:00Z on 15 Nov is 01:00 on 16 Nov in Auckland.
    const a = await record('2026-11-15T12:00:00Z', 3_000);
    expect(a.period).toBe('2026-11');
    const b = await record('2026-11-30T09:30:00Z', 1_500);
    expect(b.period).toBe('2026-11');
    expect(b.draws).toEqual([
      { source: DrawSource.DRAW_SOURCE_ALLOCATION, credits: 1_000 },
      { source: DrawSource.DRAW_SOURCE_OVERAGE, credits: 500 },
    ]);
    expect(b.stage).toBe(Stage.STAGE_OVERAGE);
    expect(await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'prod', Operation.OPERATION_MAKER))).toMatchObject({
      allowed: false,
      reason: DenialReason.DENIAL_REASON_QUOTA_EXCEEDED,
    });
  });

  it('puts 23:59 local on 30 Nov in 2026-11 and 00:01 local on 1 Dec in 2026-12', async () => {
    await setClock('2026-11-30T11:10:00Z'); // 00:10 on 1 Dec in Auckland
    const before = await record('2026-11-30T10:59:00Z', 700);
    expect(before.period).toBe('2026-11');
    expect(before.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_OVERAGE, credits: 700 }]);
    const after = await record('2026-11-30T11:01:00Z', 300);
    expect(after.period).toBe('2026-12');
    expect(after.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_ALLOCATION, credits: 300 }]);
    expect(after.stage).toBe(Stage.STAGE_NORMAL);
  });

  it('starts December from zero (plus the event after midnight) and lifts November\'s stage', async () => {
    const dec = await balance('');
    expect(dec).toMatchObject({ period: '2026-12', available: ALLOCATION, consumed: 300, remaining: 3_700, overage: 0, stage: Stage.STAGE_NORMAL });
    expect(dec.periodEndsAt?.toISOString()).toBe(JAN_START.toISOString());
    expect((await sc.admin.admin.getCapacity({ tenantId, period: '' })).period).toBe('2026-12');
    for (const op of [Operation.OPERATION_RUN, Operation.OPERATION_MAKER]) {
      expect(await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'prod', op))).toMatchObject({
        allowed: true,
        stage: Stage.STAGE_NORMAL,
        remaining: 3_700,
      });
    }
    const tenantDec = await sc.admin.reporting.getBalance({ tenantId, environmentId: '', userId: '', period: '' });
    expect(tenantDec).toMatchObject({ period: '2026-12', capacity: 1_000_000, consumed: 300 });
  });

  it('keeps November queryable: 5,200 consumed, 1,200 overage, days counted in Auckland time', async () => {
    const nov = await balance('2026-11');
    expect(nov).toMatchObject({ period: '2026-11', available: ALLOCATION, consumed: 3_000 + 1_500 + 700, overage: 1_200, remaining: 0 });
    expect(nov.periodEndsAt?.toISOString()).toBe(DEC_START.toISOString());

    const novDays = await sc.admin.reporting.getUsageReport({ tenantId, period: '2026-11', groupBy: UsageGroupBy.USAGE_GROUP_BY_DAY, environmentId: '', limit: 0 });
    expect(novDays.rows.map((r) => [r.key, r.credits, r.events])).toEqual([
      ['2026-11-16', 3_000, 1],
      ['2026-11-30', 2_200, 2],
    ]);
    expect(novDays).toMatchObject({ totalCredits: 5_200, totalEvents: 3 });

    const decDays = await sc.admin.reporting.getUsageReport({ tenantId, period: '2026-12', groupBy: UsageGroupBy.USAGE_GROUP_BY_DAY, environmentId: '', limit: 0 });
    expect(decDays.rows.map((r) => [r.key, r.credits, r.events])).toEqual([['2026-12-01', 300, 1]]);
  });

  it('accepts a November event up to 72 hours after November ended, then refuses it with FAILED_PRECONDITION', async () => {
    await setClock('2026-12-03T10:58:00Z'); // 71 h 58 min after the period ended
    const late = await record('2026-11-30T10:30:00Z', 50);
    expect(late.period).toBe('2026-11');
    expect((await balance('2026-11')).consumed).toBe(5_250);

    await setClock('2026-12-03T11:02:00Z'); // 72 h 2 min after
    await expectRefused(record('2026-11-30T10:31:00Z', 60), { code: GrpcStatus.FAILED_PRECONDITION });
    expect((await balance('2026-11')).consumed).toBe(5_250);
    expect((await balance('')).consumed).toBe(300);
  });
});
