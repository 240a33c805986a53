import { describe, expect, it } from 'vitest';
import type { EnvironmentUsage } from './tenant-period-state';
import { TenantPeriodState } from './tenant-period-state';
import { DEFAULT_STAGE_THRESHOLDS } from './stage';
import { NOW, periodState, trial, usage, type PeriodStateSetup } from './test-support/period-state.builders';

const CAPACITY = 1_005_000; // one add-on unit + 10 POWER_APPS_PREMIUM seats

/** Defaults: that capacity, prod 600,000 and test 300,000 allocated. */
const makeState = (s: Partial<PeriodStateSetup> = {}): TenantPeriodState =>
  periodState({ ...s, capacity: s.capacity ?? CAPACITY, allocations: s.allocations ?? { prod: 600_000, test: 300_000 } });

describe('unassigned pool', () => {
  it('is capacity minus allocations: 1,005,000 - 900,000 = 105,000', () => {
    expect(makeState().unassignedPool()).toBe(105_000);
  });

  it('is 0 when over-allocated', () => {
    expect(makeState({ capacity: 800_000 }).unassignedPool()).toBe(0);
  });

  it('is 0 when allow_unassigned is false', () => {
    expect(makeState({ allowUnassigned: false }).unassignedPool()).toBe(0);
  });
});

describe('planDraws: environment with an allocation', () => {
  it('draws from the allocation only while it lasts', () => {
    const s = makeState({ usage: { prod: { allocation: 100_000 } } });
    expect(s.planDraws('prod', 'u1', 1_000, NOW)).toEqual([{ source: 'ALLOCATION', credits: 1_000 }]);
  });

  it('splits allocation -> overage when the allocation runs out', () => {
    const s = makeState({ usage: { prod: { allocation: 599_500 } } });
    expect(s.planDraws('prod', 'u1', 1_000, NOW)).toEqual([
      { source: 'ALLOCATION', credits: 500 },
      { source: 'OVERAGE', credits: 500 },
    ]);
  });

  it('splits allocation -> pool with tenant_pool_fallback', () => {
    const s = makeState({ fallback: ['prod'], usage: { prod: { allocation: 599_500 } } });
    expect(s.planDraws('prod', 'u1', 1_000, NOW)).toEqual([
      { source: 'ALLOCATION', credits: 500 },
      { source: 'UNASSIGNED', credits: 500 },
    ]);
  });

  it('splits allocation -> pool -> overage when the pool runs out too', () => {
    // Pool 105,000; the pool env dev already drew 104,800 of it.
    const s = makeState({ fallback: ['prod'], usage: { prod: { allocation: 599_500 }, dev: { unassigned: 104_800 } } });
    expect(s.planDraws('prod', 'u1', 1_000, NOW)).toEqual([
      { source: 'ALLOCATION', credits: 500 },
      { source: 'UNASSIGNED', credits: 200 },
      { source: 'OVERAGE', credits: 300 },
    ]);
  });

  it('goes to overage despite fallback when allow_unassigned is false', () => {
    const s = makeState({ fallback: ['prod'], allowUnassigned: false, usage: { prod: { allocation: 599_500 } } });
    expect(s.planDraws('prod', 'u1', 1_000, NOW)).toEqual([
      { source: 'ALLOCATION', credits: 500 },
      { source: 'OVERAGE', credits: 500 },
    ]);
  });

  it('never uses the trial of the user in an allocated environment', () => {
    const s = makeState({ usage: { prod: { allocation: 600_000 } }, trials: [trial('u1', 0)] });
    expect(s.planDraws('prod', 'u1', 1_000, NOW)).toEqual([{ source: 'OVERAGE', credits: 1_000 }]);
  });

  it('counts the fallback only for the environment that has it', () => {
    const s = makeState({ fallback: ['prod'], usage: { test: { allocation: 300_000 } } });
    expect(s.planDraws('test', 'u1', 10, NOW)).toEqual([{ source: 'OVERAGE', credits: 10 }]);
  });
});

describe('planDraws: environment without an allocation', () => {
  it('draws from the pool', () => {
    const s = makeState();
    expect(s.planDraws('dev', 'u1', 5_000, NOW)).toEqual([{ source: 'UNASSIGNED', credits: 5_000 }]);
  });

  it('splits pool -> trial -> overage', () => {
    const s = makeState({ usage: { dev: { unassigned: 104_700 } }, trials: [trial('u1', 199_800)] });
    expect(s.planDraws('dev', 'u1', 1_000, NOW)).toEqual([
      { source: 'UNASSIGNED', credits: 300 },
      { source: 'TRIAL', credits: 200 },
      { source: 'OVERAGE', credits: 500 },
    ]);
  });

  it('uses only the trial of the user who runs', () => {
    const s = makeState({ capacity: 900_000, trials: [trial('u2', 0)] });
    expect(s.planDraws('dev', 'u1', 1_000, NOW)).toEqual([{ source: 'OVERAGE', credits: 1_000 }]);
    expect(s.planDraws('dev', 'u2', 1_000, NOW)).toEqual([{ source: 'TRIAL', credits: 1_000 }]);
  });

  it('has nothing but overage when the pool is disabled, even with an active trial', () => {
    const s = makeState({ allowUnassigned: false, trials: [trial('u1', 0)] });
    expect(s.planDraws('dev', 'u1', 1_000, NOW)).toEqual([{ source: 'OVERAGE', credits: 1_000 }]);
  });

  it.each([
    ['expired', trial('u1', 0, NOW)],
    ['exhausted', trial('u1', 200_000)],
  ])('skips an %s trial', (_name, t) => {
    const s = makeState({ usage: { dev: { unassigned: 104_000 } }, trials: [t] });
    expect(s.planDraws('dev', 'u1', 1_500, NOW)).toEqual([
      { source: 'UNASSIGNED', credits: 1_000 },
      { source: 'OVERAGE', credits: 500 },
    ]);
  });

  it('sees the pool shrink when a fallback environment drew from it', () => {
    const s = makeState({ fallback: ['prod'], usage: { prod: { allocation: 600_000, unassigned: 100_000 } } });
    expect(s.planDraws('dev', 'u1', 6_000, NOW)).toEqual([
      { source: 'UNASSIGNED', credits: 5_000 },
      { source: 'OVERAGE', credits: 1_000 },
    ]);
  });
});

describe('planDraws: free operations and purity', () => {
  it('returns no draws for 0 credits', () => {
    expect(makeState().planDraws('prod', 'u1', 0, NOW)).toEqual([]);
    expect(makeState({ capacity: 0, allocations: {} }).planDraws('dev', 'u1', 0, NOW)).toEqual([]);
  });

  it('does not change state', () => {
    const s = makeState();
    s.planDraws('dev', 'u1', 50_000, NOW);
    expect(s.poolBalance().remaining).toBe(105_000);
    expect(s.usageOf('dev')).toEqual(usage({}));
  });
});

describe('record', () => {
  it('applies draws to usage, the pool and the trial', () => {
    const u1 = trial('u1', 199_000);
    const usageMap = new Map<string, EnvironmentUsage>();
    const s = new TenantPeriodState({
      period: '2026-11',
      settings: { allowUnassigned: true, thresholds: DEFAULT_STAGE_THRESHOLDS },
      capacity: 901_000,
      allocations: new Map([['prod', 900_000]]),
      poolFallback: new Set(),
      usage: usageMap,
      trials: new Map([['u1', u1]]),
    });
    const draws = s.planDraws('dev', 'u1', 2_500, NOW);
    expect(draws).toEqual([
      { source: 'UNASSIGNED', credits: 1_000 },
      { source: 'TRIAL', credits: 1_000 },
      { source: 'OVERAGE', credits: 500 },
    ]);
    s.record('dev', 'u1', draws);
    expect(s.usageOf('dev')).toEqual({ allocation: 0, unassigned: 1_000, trial: 1_000, overage: 500, events: 1 });
    // The caller's map and trial are the ones mutated, so the core can persist them.
    expect(usageMap.get('dev')?.unassigned).toBe(1_000);
    expect(u1.consumed).toBe(200_000);
    expect(u1.status).toBe('EXHAUSTED');
    expect(s.poolBalance()).toMatchObject({ remaining: 0, consumed: 1_500 });
    expect(s.planDraws('dev', 'u1', 10, NOW)).toEqual([{ source: 'OVERAGE', credits: 10 }]);
  });

  it('counts free operations as events with no credits', () => {
    const s = makeState();
    s.record('prod', 'u1', []);
    s.record('prod', 'u1', s.planDraws('prod', 'u1', 0, NOW));
    expect(s.usageOf('prod')).toEqual(usage({ events: 2 }));
  });

  it('throws on a trial draw for a user without a trial (a broken invariant)', () => {
    expect(() => makeState().record('dev', 'ghost', [{ source: 'TRIAL', credits: 1 }])).toThrow(/no trial/);
  });

  it('hands out copies from usageOf', () => {
    const s = makeState({ usage: { prod: { allocation: 5 } } });
    s.usageOf('prod').allocation = 999;
    expect(s.usageOf('prod').allocation).toBe(5);
  });
});

describe('balanceOf: environment with an allocation', () => {
  it('is its allocation while it lasts', () => {
    const s = makeState({ usage: { prod: { allocation: 450_000 } } });
    expect(s.balanceOf('prod')).toEqual({
      scope: 'ENVIRONMENT',
      available: 600_000,
      consumed: 450_000,
      remaining: 150_000,
      overage: 0,
      stage: 'NORMAL',
      reason: null,
    });
  });

  it.each([
    // consumed, stage (allocation 600,000)
    [479_999, 'NORMAL'],
    [480_000, 'WARNING'],
    [600_000, 'WARNING'],
    [606_000, 'OVERAGE'],
    [749_999, 'OVERAGE'],
    [750_000, 'BLOCKED'],
  ])('consumed %i of 600,000 is %s', (consumed, stage) => {
    const s = makeState({
      usage: { prod: { allocation: Math.min(consumed, 600_000), overage: Math.max(0, consumed - 600_000) } },
    });
    expect(s.balanceOf('prod')).toMatchObject({ consumed, stage, overage: Math.max(0, consumed - 600_000) });
  });

  it('counts pool credits drawn under fallback as available, and the pool left as remaining', () => {
    const s = makeState({ fallback: ['prod'], usage: { prod: { allocation: 600_000, unassigned: 5_000 } } });
    expect(s.balanceOf('prod')).toMatchObject({
      available: 605_000,
      consumed: 605_000,
      remaining: 100_000,
      stage: 'WARNING',
    });
  });

  it('does not count the pool as remaining when allow_unassigned is false', () => {
    const s = makeState({ fallback: ['prod'], allowUnassigned: false, usage: { prod: { allocation: 590_000 } } });
    expect(s.balanceOf('prod').remaining).toBe(10_000);
  });
});

describe('poolBalance: environments without an allocation', () => {
  it('judges all pool environments as one, with their overage', () => {
    const s = makeState({
      usage: { dev: { unassigned: 100_000 }, qa: { unassigned: 5_000, overage: 30_000 }, prod: { overage: 7 } },
    });
    expect(s.poolConsumed()).toBe(135_000);
    // 135,000 / 105,000 = 1.2857 -> BLOCKED; prod's overage is its own, not the pool's.
    expect(s.balanceOf('dev')).toEqual({
      scope: 'POOL',
      available: 105_000,
      consumed: 135_000,
      remaining: 0,
      overage: 30_000,
      stage: 'BLOCKED',
      reason: null,
    });
    expect(s.balanceOf('qa')).toEqual(s.poolBalance());
  });

  it('counts fallback draws of allocated environments as pool consumption', () => {
    const s = makeState({ fallback: ['prod'], usage: { prod: { allocation: 600_000, unassigned: 84_000 } } });
    expect(s.poolBalance()).toMatchObject({ consumed: 84_000, remaining: 21_000, stage: 'WARNING' });
  });

  it('is BLOCKED with NO_CAPACITY when the pool has no credits at all', () => {
    expect(makeState({ capacity: 900_000 }).poolBalance()).toMatchObject({
      available: 0,
      stage: 'BLOCKED',
      reason: 'NO_CAPACITY',
    });
    expect(makeState({ allowUnassigned: false }).balanceOf('dev')).toMatchObject({ stage: 'BLOCKED', reason: 'NO_CAPACITY' });
  });
});

describe('admin changes take effect at once', () => {
  it('a raised allocation lifts a block', () => {
    const s = makeState({ usage: { prod: { allocation: 600_000, overage: 150_000 } } });
    expect(s.balanceOf('prod').stage).toBe('BLOCKED');
    s.setAllocation('prod', 700_000);
    // 750,000 of 700,000 = 107%: out of the block, into the grace stage.
    // Nothing remains: the 750,000 used (overage included) already exceed the new 700,000.
    expect(s.balanceOf('prod')).toMatchObject({ available: 700_000, stage: 'OVERAGE', remaining: 0 });
    expect(s.allocations().get('prod')).toBe(700_000);
    s.setAllocation('prod', 1_000_000);
    expect(s.balanceOf('prod')).toMatchObject({ available: 1_000_000, stage: 'NORMAL', remaining: 250_000 });
  });

  it('more capacity refills the pool', () => {
    const s = makeState({ usage: { dev: { unassigned: 105_000, overage: 30_000 } } });
    expect(s.poolBalance().stage).toBe('BLOCKED');
    s.setCapacity(2_005_000);
    expect(s.capacity).toBe(2_005_000);
    expect(s.poolBalance()).toMatchObject({ available: 1_105_000, remaining: 1_000_000, stage: 'NORMAL' });
  });

  it('removing an allocation moves the environment to the pool', () => {
    const s = makeState();
    s.setAllocation('test', 0);
    expect(s.allocations().has('test')).toBe(false);
    expect(s.balanceOf('test')).toMatchObject({ scope: 'POOL', available: 405_000 });
  });

  it('fallback and settings toggles change the next plan', () => {
    const s = makeState({ usage: { prod: { allocation: 600_000 } } });
    expect(s.planDraws('prod', 'u1', 10, NOW)).toEqual([{ source: 'OVERAGE', credits: 10 }]);
    s.setPoolFallback('prod', true);
    expect(s.planDraws('prod', 'u1', 10, NOW)).toEqual([{ source: 'UNASSIGNED', credits: 10 }]);
    s.setSettings({ allowUnassigned: false, thresholds: DEFAULT_STAGE_THRESHOLDS });
    expect(s.planDraws('prod', 'u1', 10, NOW)).toEqual([{ source: 'OVERAGE', credits: 10 }]);
    s.setSettings({ allowUnassigned: true, thresholds: DEFAULT_STAGE_THRESHOLDS });
    s.setPoolFallback('prod', false);
    expect(s.planDraws('prod', 'u1', 10, NOW)).toEqual([{ source: 'OVERAGE', credits: 10 }]);
  });

  it('ignores zero allocations handed to the constructor', () => {
    const s = makeState({ allocations: { prod: 600_000, gone: 0 } });
    expect(s.allocations().has('gone')).toBe(false);
    expect(s.balanceOf('gone').scope).toBe('POOL');
  });
});

describe('raising an allocation after overage', () => {
  it('counts overage already consumed against the new allocation (12,600 used of a new 20,000 leaves 7,400)', () => {
    const s = makeState({ allocations: { prod: 10_000 }, usage: { prod: { allocation: 10_000, overage: 2_600, events: 5 } } });
    s.setAllocation('prod', 20_000);
    expect(s.balanceOf('prod')).toMatchObject({ available: 20_000, consumed: 12_600, remaining: 7_400, stage: 'NORMAL' });
    expect(s.planDraws('prod', 'u', 8_000, NOW)).toEqual([
      { source: 'ALLOCATION', credits: 7_400 },
      { source: 'OVERAGE', credits: 600 },
    ]);
  });
});
