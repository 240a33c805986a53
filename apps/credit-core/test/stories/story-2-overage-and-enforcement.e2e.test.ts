/**
 * Story 2: an environment with an allocation overspends. Its draws split allocation + overage, its stage climbs
 * NORMAL -> WARNING -> OVERAGE (MAKER/TEST refused, RUN/TRAIN go on) -> BLOCKED (RUN refused), a sibling
 * environment is not affected, and raising the allocation lifts the block on the very next CheckAccess.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DenialReason, DrawSource, Operation, Stage } from '@allot/contracts';
import { startStoryCore, type StoryCore } from './support/story-core';
import { buildTenant } from './support/tenant-builder';
import { accessQuery, consumptionEvent } from './support/consumption-events';

const ALLOCATION = 10_000;
const RAISED_ALLOCATION = 20_000;

describe('story 2: an allocated environment overspends, then gets more credits', () => {
  let sc: StoryCore;
  let tenantId = '';
  let consumed = 0;
  beforeAll(async () => {
    sc = await startStoryCore();
    const t = await buildTenant(sc.admin, {
      name: 'fabrikam',
      entitlements: [{ addOnUnits: 1 }],
      environments: [
        { id: 'prod', allocation: ALLOCATION },
        { id: 'dev', allocation: 5_000 },
      ],
    });
    tenantId = t.tenantId;
  });
  afterAll(async () => {
    await sc?.stop();
  });

  const run = async (credits: number) => {
    const res = await sc.admin.consumption.recordConsumption(consumptionEvent({ tenantId, environmentId: 'prod', credits }));
    consumed += credits;
    return res;
  };
  const access = (operation: Operation, environmentId = 'prod') =>
    sc.admin.consumption.checkAccess(accessQuery(tenantId, environmentId, operation));

  it('draws 7,000 from the allocation and stays NORMAL (70%)', async () => {
    const res = await run(7_000);
    expect(res.credits).toBe(7_000);
    expect(res.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_ALLOCATION, credits: 7_000 }]);
    expect(res.duplicate).toBe(false);
    expect(res.stage).toBe(Stage.STAGE_NORMAL);
    const acc = await access(Operation.OPERATION_RUN);
    expect(acc).toMatchObject({ allowed: true, stage: Stage.STAGE_NORMAL, remaining: ALLOCATION - 7_000 });
  });

  it('goes WARNING at 85% (8,500 of 10,000), everything still allowed', async () => {
    const res = await run(1_500);
    expect(res.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_ALLOCATION, credits: 1_500 }]);
    expect(res.stage).toBe(Stage.STAGE_WARNING);
    expect(consumed).toBe(8_500);
    for (const op of [Operation.OPERATION_RUN, Operation.OPERATION_MAKER, Operation.OPERATION_TEST]) {
      expect(await access(op)).toMatchObject({ allowed: true, stage: Stage.STAGE_WARNING, remaining: 1_500 });
    }
  });

  it('splits the event that crosses the allocation: 1,500 ALLOCATION + 1,000 OVERAGE, stage OVERAGE (110%)', async () => {
    const res = await run(2_500);
    expect(res.credits).toBe(2_500);
    expect(res.draws).toEqual([
      { source: DrawSource.DRAW_SOURCE_ALLOCATION, credits: ALLOCATION - 8_500 },
      { source: DrawSource.DRAW_SOURCE_OVERAGE, credits: 8_500 + 2_500 - ALLOCATION },
    ]);
    expect(res.stage).toBe(Stage.STAGE_OVERAGE);

    const maker = await access(Operation.OPERATION_MAKER);
    expect(maker).toMatchObject({ allowed: false, stage: Stage.STAGE_OVERAGE, reason: DenialReason.DENIAL_REASON_QUOTA_EXCEEDED, remaining: 0 });
    const test = await access(Operation.OPERATION_TEST);
    expect(test).toMatchObject({ allowed: false, stage: Stage.STAGE_OVERAGE, reason: DenialReason.DENIAL_REASON_QUOTA_EXCEEDED });
    expect(await access(Operation.OPERATION_RUN)).toMatchObject({ allowed: true, stage: Stage.STAGE_OVERAGE, remaining: 0 });
    expect(await access(Operation.OPERATION_TRAIN)).toMatchObject({ allowed: true, stage: Stage.STAGE_OVERAGE });

    const bal = await sc.admin.reporting.getBalance({ tenantId, environmentId: 'prod', userId: '', period: '' });
    expect(bal).toMatchObject({ available: ALLOCATION, consumed: 11_000, remaining: 0, overage: 1_000, stage: Stage.STAGE_OVERAGE });
  });

  it('keeps the sibling environment NORMAL: overage is per environment', async () => {
    expect(await access(Operation.OPERATION_MAKER, 'dev')).toMatchObject({ allowed: true, stage: Stage.STAGE_NORMAL, remaining: 5_000 });
  });

  it('goes BLOCKED at 125% (12,500 of 10,000): RUN refused, and consumption is still recorded', async () => {
    const res = await run(1_500);
    expect(res.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_OVERAGE, credits: 1_500 }]);
    expect(res.stage).toBe(Stage.STAGE_BLOCKED);
    expect(consumed).toBe(12_500);

    for (const op of [Operation.OPERATION_RUN, Operation.OPERATION_TRAIN, Operation.OPERATION_MAKER]) {
      expect(await access(op)).toMatchObject({ allowed: false, stage: Stage.STAGE_BLOCKED, reason: DenialReason.DENIAL_REASON_QUOTA_EXCEEDED });
    }

    // Work that already happened is recorded even when blocked.
    const late = await run(100);
    expect(late.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_OVERAGE, credits: 100 }]);
    expect(late.stage).toBe(Stage.STAGE_BLOCKED);
    const bal = await sc.admin.reporting.getBalance({ tenantId, environmentId: 'prod', userId: '', period: '' });
    expect(bal).toMatchObject({ available: ALLOCATION, consumed: 12_600, remaining: 0, overage: 2_600, stage: Stage.STAGE_BLOCKED });
  });

  it('lifts the block on the very next CheckAccess after SetAllocation raises it to 20,000', async () => {
    const res = await sc.admin.admin.setAllocation({ tenantId, environmentId: 'prod', credits: RAISED_ALLOCATION });
    expect(res.summary).toMatchObject({ capacity: 1_000_000, allocated: RAISED_ALLOCATION + 5_000, unassigned: 1_000_000 - 25_000 });
    // 12,600 of 20,000 = 63%: NORMAL, no grace needed.
    const acc = await access(Operation.OPERATION_RUN);
    expect(acc).toMatchObject({ allowed: true, stage: Stage.STAGE_NORMAL, remaining: RAISED_ALLOCATION - consumed });
    expect(acc.remaining).toBe(7_400);
    expect(await access(Operation.OPERATION_MAKER)).toMatchObject({ allowed: true, stage: Stage.STAGE_NORMAL });
    const bal = await sc.admin.reporting.getBalance({ tenantId, environmentId: 'prod', userId: '', period: '' });
    expect(bal).toMatchObject({ available: RAISED_ALLOCATION, consumed: 12_600, remaining: 7_400, stage: Stage.STAGE_NORMAL });
  });
});
