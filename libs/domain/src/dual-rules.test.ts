import { describe, expect, it } from 'vitest';
import type { CopilotSetup, EnvironmentUsage } from './tenant-period-state';
import { TenantPeriodState } from './tenant-period-state';
import { DEFAULT_STAGE_THRESHOLDS } from './stage';
import { decideAccess } from './access';
import { environmentStageOf, environmentStatusOf } from './dual-access';
import { NOW, periodState, trial, usage } from './test-support/period-state.builders';

interface DualSetup {
  capacity?: number;
  allocations?: Record<string, number>;
  copilot?: Partial<CopilotSetup>;
  usage?: Record<string, Partial<EnvironmentUsage>>;
  allowUnassigned?: boolean;
}

const dual = (s: DualSetup = {}): TenantPeriodState =>
  new TenantPeriodState({
    period: '2026-11',
    settings: { allowUnassigned: s.allowUnassigned ?? true, thresholds: DEFAULT_STAGE_THRESHOLDS },
    capacity: s.capacity ?? 10_000,
    allocations: new Map(Object.entries(s.allocations ?? { prod: 1_000 })),
    poolFallback: new Set(),
    usage: new Map(Object.entries(s.usage ?? {}).map(([env, u]) => [env, usage(u)])),
    trials: new Map(),
    licensingModel: 'DUAL',
    copilot: { capacity: 25_000, allocations: new Map(), noTenantDraw: new Set(), paygActive: false, payg: new Map(), ...s.copilot },
  });

describe('DUAL draw order', () => {
  it('draws AI Builder credits while they cover the whole event', () => {
    expect(dual().planDraws('prod', 'u', 600, NOW, 7_500)).toEqual([{ source: 'ALLOCATION', credits: 600 }]);
  });

  it('charges the whole event in Copilot Credits when AI Builder credits cannot cover it (no split)', () => {
    const s = dual({ usage: { prod: { allocation: 700 } } });
    expect(s.planDraws('prod', 'u', 600, NOW, 7_500)).toEqual([{ source: 'COPILOT_UNASSIGNED', credits: 7_500 }]);
  });

  it('takes the Copilot allocation, then the tenant pool, then pay-as-you-go within its budget, then overage', () => {
    const s = dual({
      allocations: {},
      capacity: 0,
      copilot: { capacity: 25_000, allocations: new Map([['prod', 24_999]]), paygActive: true, payg: new Map([['prod', 1]]) },
    });
    // 1 Copilot Credit in the pool, 24,999 allocated, a budget of 1: 25,001 drawable, 25,002 asked.
    expect(s.planDraws('prod', 'u', 1, NOW, 25_002_000)).toEqual([
      { source: 'COPILOT_ALLOCATION', credits: 24_999_000 },
      { source: 'COPILOT_UNASSIGNED', credits: 1_000 },
      { source: 'COPILOT_PAYG', credits: 1_000 },
      { source: 'COPILOT_OVERAGE', credits: 1_000 },
    ]);
  });

  it('an environment that does not draw from the tenant skips the Copilot pool', () => {
    const s = dual({ usage: { prod: { allocation: 1_000 } }, copilot: { noTenantDraw: new Set(['prod']), paygActive: true, payg: new Map([['prod', null]]) } });
    expect(s.planDraws('prod', 'u', 10, NOW, 100)).toEqual([{ source: 'COPILOT_PAYG', credits: 100 }]);
  });

  it('with Copilot sources used up, the whole event is Copilot overage; with none at all, AI Builder overage', () => {
    const usedUp = dual({ usage: { prod: { allocation: 900, copilot: { allocation: 0, unassigned: 25_000_000, payg: 0, overage: 0 } } } });
    expect(usedUp.planDraws('prod', 'u', 300, NOW, 2_000)).toEqual([{ source: 'COPILOT_OVERAGE', credits: 2_000 }]);
    const none = dual({ usage: { prod: { allocation: 900 } }, copilot: { capacity: 0 } });
    expect(none.hasCopilotSource('prod')).toBe(false);
    expect(none.planDraws('prod', 'u', 300, NOW, 2_000)).toEqual([
      { source: 'ALLOCATION', credits: 100 },
      { source: 'OVERAGE', credits: 200 },
    ]);
  });

  it('an event given as credits only stays in AI Builder credits (the rest overage)', () => {
    const s = dual({ usage: { prod: { allocation: 900 } } });
    expect(s.planDraws('prod', 'u', 300, NOW, null)).toEqual([
      { source: 'ALLOCATION', credits: 100 },
      { source: 'OVERAGE', credits: 200 },
    ]);
  });

  it('records Copilot draws in thousandths per environment and per source', () => {
    const s = dual({ usage: { prod: { allocation: 1_000 } } });
    const draws = s.planDraws('prod', 'u', 1, NOW, 100);
    for (let i = 0; i < 10; i += 1) s.record('prod', 'u', draws, 'flow-1');
    expect(s.usageOf('prod').copilot).toEqual({ allocation: 0, unassigned: 1_000, payg: 0, overage: 0 });
    expect(s.sourceConsumed('prod', 'flow-1', 'COPILOT')).toBe(1_000);
    expect(s.copilotPoolRemaining()).toBe(24_999_000);
  });
});

describe('DUAL enforcement', () => {
  it('has no grace: a RUN is refused when neither currency has anything left', () => {
    const s = dual({ usage: { prod: { allocation: 1_000, unassigned: 9_000 } } });
    s.record('prod', 'u', [{ source: 'COPILOT_UNASSIGNED', credits: 25_000_000 }]);
    const d = decideAccess(s, 'prod', 'u', 'RUN', NOW);
    expect(d).toMatchObject({ allowed: false, stage: 'BLOCKED', reason: 'QUOTA_EXCEEDED', remaining: 0, copilotRemaining: 0 });
  });

  it('never refuses MAKER, TEST or TRAIN, even with nothing left or no entitlement at all', () => {
    const s = dual({ capacity: 0, allocations: {}, copilot: { capacity: 0 } });
    expect(decideAccess(s, 'dev', 'u', 'RUN', NOW).reason).toBe('ENTITLEMENT_NOT_AVAILABLE');
    for (const op of ['MAKER', 'TEST', 'TRAIN'] as const) expect(decideAccess(s, 'dev', 'u', op, NOW).allowed).toBe(true);
  });

  it('goes on into Copilot Credits after AI Builder credits are used up (NORMAL), warns when both are near the end', () => {
    const s = dual({ usage: { prod: { allocation: 1_000 } } });
    expect(decideAccess(s, 'prod', 'u', 'RUN', NOW)).toMatchObject({ allowed: true, stage: 'NORMAL', remaining: 0, copilotRemaining: 25_000_000 });
    s.record('prod', 'u', [{ source: 'COPILOT_UNASSIGNED', credits: 20_000_000 }]);
    expect(decideAccess(s, 'prod', 'u', 'RUN', NOW)).toMatchObject({ allowed: true, stage: 'WARNING' });
  });

  it('pay-as-you-go without a budget is never near its end', () => {
    const s = dual({ usage: { prod: { allocation: 1_000 } }, copilot: { capacity: 0, paygActive: true, payg: new Map([['prod', null]]) } });
    expect(decideAccess(s, 'prod', 'u', 'RUN', NOW)).toMatchObject({ allowed: true, stage: 'NORMAL', copilotRemaining: null });
  });

  it('a running trial lasts to its end (AI Builder source of an environment without an allocation)', () => {
    const s = new TenantPeriodState({
      period: '2026-11',
      settings: { allowUnassigned: true, thresholds: DEFAULT_STAGE_THRESHOLDS },
      capacity: 0,
      allocations: new Map(),
      poolFallback: new Set(),
      usage: new Map(),
      trials: new Map([['u', trial('u', 0)]]),
      licensingModel: 'DUAL',
    });
    expect(s.planDraws('dev', 'u', 500, NOW, 100)).toEqual([{ source: 'TRIAL', credits: 500 }]);
    expect(decideAccess(s, 'dev', 'u', 'RUN', NOW).allowed).toBe(true);
  });
});

describe('DUAL trials', () => {
  it('cannot be started or extended', async () => {
    const { startTrial, extendTrial } = await import('./trial');
    const started = startTrial({ userId: 'u', nowMs: NOW, hasPaidCapacity: false, allowUnassigned: true, existing: undefined, licensingModel: 'DUAL' });
    expect(started.ok ? null : started.error).toMatchObject({ category: 'FAILED_PRECONDITION', code: 'TRIAL.NOT_UNDER_DUAL' });
    const extended = extendTrial(trial('u', 200_000, NOW - 1), NOW, 'DUAL');
    expect(extended.ok ? null : extended.error.code).toBe('TRIAL.NOT_UNDER_DUAL');
  });
});

describe('the stage balances and alerts show', () => {
  it('under DUAL is the stage of a RUN decision: AI Builder credits used up with Copilot Credits left is not BLOCKED', () => {
    const s = dual({ usage: { prod: { allocation: 1_000, overage: 300 } } });
    expect(s.balanceOf('prod').stage).toBe('BLOCKED');
    const status = environmentStatusOf(s, 'prod', '', NOW);
    expect(status).toEqual({ stage: decideAccess(s, 'prod', '', 'RUN', NOW).stage, reason: null });
    expect(status.stage).toBe('NORMAL');
    expect(environmentStageOf(s, 'prod', '', NOW)).toBe('NORMAL');
  });

  it('under DUAL with both currencies used up is BLOCKED with the refusal reason', () => {
    const s = dual({ usage: { prod: { allocation: 1_000, copilot: { allocation: 0, unassigned: 25_000_000, payg: 0, overage: 0 } } } });
    expect(environmentStatusOf(s, 'prod', '', NOW)).toEqual({ stage: 'BLOCKED', reason: 'QUOTA_EXCEEDED' });
  });

  it('under CLASSIC is the scope balance', () => {
    const s = periodState({ capacity: 10_000, allocations: { prod: 1_000 }, usage: { prod: { allocation: 1_000, overage: 100 } } });
    const b = s.balanceOf('prod');
    expect(environmentStatusOf(s, 'prod', '', NOW)).toEqual({ stage: b.stage, reason: b.reason });
    expect(environmentStageOf(s, 'prod', '', NOW)).toBe('OVERAGE');
  });
});
