import { describe, expect, it } from 'vitest';
import type { Operation } from './stage';
import type { TenantPeriodState } from './tenant-period-state';
import type { TrialState } from './trial';
import { decideAccess } from './access';
import { DAY, NOW, periodState, trial, type PeriodStateSetup } from './test-support/period-state.builders';

/** No allocations unless given. */
const makeState = (s: Omit<PeriodStateSetup, 'allocations'> & { allocations?: Record<string, number> }): TenantPeriodState =>
  periodState({ ...s, allocations: s.allocations ?? {} });

const OPS: readonly Operation[] = ['RUN', 'TEST', 'TRAIN', 'MAKER'];

describe('decideAccess: environment with an allocation', () => {
  const withConsumed = (consumed: number): TenantPeriodState =>
    makeState({
      capacity: 1_000_000,
      allocations: { prod: 1_000_000 },
      usage: { prod: { allocation: Math.min(consumed, 1_000_000), overage: Math.max(0, consumed - 1_000_000) } },
    });

  it.each([
    // consumed of 1,000,000, stage, allowed operations
    [400_000, 'NORMAL', ['RUN', 'TEST', 'TRAIN', 'MAKER']],
    [850_000, 'WARNING', ['RUN', 'TEST', 'TRAIN', 'MAKER']],
    [1_100_000, 'OVERAGE', ['RUN', 'TRAIN']],
    [1_300_000, 'BLOCKED', []],
  ])('at %i consumed the stage is %s and allows %j', (consumed, stage, allowedOps) => {
    const s = withConsumed(consumed);
    for (const op of OPS) {
      const d = decideAccess(s, 'prod', 'u1', op, NOW);
      const allowed = allowedOps.includes(op);
      expect(d).toMatchObject({ stage, allowed, reason: allowed ? null : 'QUOTA_EXCEEDED' });
      expect(d.remaining).toBe(Math.max(0, 1_000_000 - consumed));
    }
  });

  it('explains a block with the numbers and the reset day', () => {
    const d = decideAccess(withConsumed(1_300_000), 'prod', 'u1', 'RUN', NOW);
    expect(d.message).toBe('prod used 1,300,000 of 1,000,000 credits (130%): blocked until 2026-12-01');
  });

  it('explains a refused MAKER in overage', () => {
    const d = decideAccess(withConsumed(1_100_000), 'prod', 'u1', 'MAKER', NOW);
    expect(d.message).toContain('1,100,000 of 1,000,000 credits (110%)');
    expect(d.message).toContain('MAKER is refused');
  });

  it('lifts the block in the same second the admin reallocates', () => {
    const s = makeState({ capacity: 2_000_000, allocations: { prod: 1_000_000 }, usage: { prod: { allocation: 1_000_000, overage: 300_000 } } });
    expect(decideAccess(s, 'prod', 'u1', 'RUN', NOW).allowed).toBe(false);
    s.setAllocation('prod', 2_000_000);
    // The 1,300,000 already consumed (overage included) count against the new 2,000,000.
    expect(decideAccess(s, 'prod', 'u1', 'RUN', NOW)).toMatchObject({ allowed: true, stage: 'NORMAL', remaining: 700_000 });
  });
});

describe('decideAccess: environment without an allocation', () => {
  it('follows the pool while it has credits, counting the trial in what is left', () => {
    const s = makeState({ capacity: 1_000_000, allocations: { prod: 900_000 }, usage: { dev: { unassigned: 85_000 } }, trials: [trial('u1', 150_000)] });
    expect(decideAccess(s, 'dev', 'u1', 'MAKER', NOW)).toMatchObject({ allowed: true, stage: 'WARNING', remaining: 65_000 });
    expect(decideAccess(s, 'dev', 'u2', 'RUN', NOW)).toMatchObject({ allowed: true, remaining: 15_000 });
  });

  it('allows a user with a usable trial once the pool is used up, staged by the trial', () => {
    const s = makeState({
      capacity: 1_000_000,
      allocations: { prod: 900_000 },
      usage: { dev: { unassigned: 100_000, overage: 40_000 } },
      trials: [trial('u1', 170_000)],
    });
    // The pool itself is at 140% (BLOCKED), but u1's trial is at 85%.
    const d = decideAccess(s, 'dev', 'u1', 'MAKER', NOW);
    expect(d).toMatchObject({ allowed: true, stage: 'WARNING', reason: null, remaining: 30_000 });
    expect(d.message).toContain('170,000 of 200,000');
    // Another user without a trial is judged by the pool.
    expect(decideAccess(s, 'dev', 'u2', 'RUN', NOW)).toMatchObject({ allowed: false, stage: 'BLOCKED', reason: 'QUOTA_EXCEEDED' });
  });

  it('lets the pool grace apply after the pool runs out and no trial is usable', () => {
    const s = makeState({
      capacity: 1_000_000,
      allocations: { prod: 900_000 },
      usage: { dev: { unassigned: 100_000, overage: 10_000 } },
      trials: [trial('u1', 200_000)],
    });
    expect(decideAccess(s, 'dev', 'u1', 'RUN', NOW)).toMatchObject({ allowed: true, stage: 'OVERAGE', remaining: 0 });
    expect(decideAccess(s, 'dev', 'u1', 'TEST', NOW)).toMatchObject({ allowed: false, stage: 'OVERAGE', reason: 'QUOTA_EXCEEDED' });
  });

  it('is NO_CAPACITY when everything is allocated and the user has no usable trial', () => {
    const s = makeState({ capacity: 1_000_000, allocations: { prod: 1_000_000 }, trials: [trial('u1', 0, NOW - 1)] });
    const d = decideAccess(s, 'dev', 'u1', 'RUN', NOW);
    expect(d).toMatchObject({ allowed: false, stage: 'BLOCKED', reason: 'NO_CAPACITY', remaining: 0 });
    expect(d.message).toContain('the unassigned pool is 0 credits');
  });

  it('is NO_CAPACITY when allow_unassigned is false, even with an active trial', () => {
    const s = makeState({ capacity: 1_000_000, allocations: { prod: 500_000 }, allowUnassigned: false, trials: [trial('u1', 0)] });
    const d = decideAccess(s, 'dev', 'u1', 'RUN', NOW);
    expect(d).toMatchObject({ allowed: false, stage: 'BLOCKED', reason: 'NO_CAPACITY' });
    expect(d.message).toContain('allow_unassigned is off');
  });
});

describe('decideAccess: no entitlement', () => {
  it('is ENTITLEMENT_NOT_AVAILABLE with no capacity and no active trial anywhere', () => {
    for (const trials of [[], [trial('u1', 0, NOW)], [trial('u1', 200_000, NOW - DAY)]]) {
      const d = decideAccess(makeState({ capacity: 0, trials }), 'dev', 'u2', 'RUN', NOW);
      expect(d).toMatchObject({ allowed: false, stage: 'BLOCKED', reason: 'ENTITLEMENT_NOT_AVAILABLE', remaining: 0 });
      expect(d.message).toContain('capacity 0 credits');
    }
  });

  it('is NO_CAPACITY, not ENTITLEMENT_NOT_AVAILABLE, when the only trial ran out of credits before its end', () => {
    const exhausted: TrialState = { ...trial('u1', 200_000), status: 'EXHAUSTED' };
    const s = makeState({ capacity: 0, trials: [exhausted] });
    for (const user of ['u1', 'u2']) {
      const d = decideAccess(s, 'dev', user, 'RUN', NOW);
      expect(d).toMatchObject({ allowed: false, stage: 'BLOCKED', reason: 'NO_CAPACITY', remaining: 0 });
    }
  });

  it('runs a trial user on a tenant without capacity', () => {
    const s = makeState({ capacity: 0, trials: [trial('u1', 20_000)] });
    expect(decideAccess(s, 'dev', 'u1', 'MAKER', NOW)).toMatchObject({ allowed: true, stage: 'NORMAL', remaining: 180_000 });
  });

  it('is NO_CAPACITY, not ENTITLEMENT_NOT_AVAILABLE, for a user without a trial when a colleague has one', () => {
    const s = makeState({ capacity: 0, trials: [trial('u1', 0)] });
    expect(decideAccess(s, 'dev', 'u2', 'RUN', NOW)).toMatchObject({ allowed: false, reason: 'NO_CAPACITY' });
  });

  it('refuses a trial user once the trial expires', () => {
    const s = makeState({ capacity: 0, trials: [trial('u1', 0, NOW + 1000)] });
    expect(decideAccess(s, 'dev', 'u1', 'RUN', NOW).allowed).toBe(true);
    // docs/credit-rules.md, Trials: an expired trial's user is refused NO_CAPACITY (a colleague without one: no entitlement).
    expect(decideAccess(s, 'dev', 'u1', 'RUN', NOW + 1000)).toMatchObject({ allowed: false, stage: 'BLOCKED', reason: 'NO_CAPACITY', remaining: 0 });
    expect(decideAccess(s, 'dev', 'u2', 'RUN', NOW + 1000).reason).toBe('ENTITLEMENT_NOT_AVAILABLE');
  });
});
