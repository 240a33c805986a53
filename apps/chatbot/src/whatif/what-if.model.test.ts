import { describe, expect, it } from 'vitest';
import { DEFAULT_STAGE_THRESHOLDS } from '@allot/domain';
import { simulate, type EnvironmentSnapshot, type TenantSnapshot } from './what-if.model';

const env = (environmentId: string, allocation: number, consumed: number, overageCredits = 0): EnvironmentSnapshot => ({
  environmentId,
  displayName: environmentId,
  allocation,
  poolFallback: false,
  consumed,
  trialCredits: 0,
  overageCredits,
});

/** 1,000,000 capacity; sales-prod 400k (used 200k), dev 100k (30k), hr-test 10k (13k: 130%, blocked), sandbox on the pool. */
const acme: TenantSnapshot = {
  period: '2026-11',
  capacity: 1_000_000,
  allowUnassigned: true,
  thresholds: DEFAULT_STAGE_THRESHOLDS,
  environments: [env('sales-prod', 400_000, 200_000), env('dev', 100_000, 30_000), env('hr-test', 10_000, 13_000, 3_000), env('sandbox', 0, 400_000)],
  entitlements: [{ entitlementId: 'e1', kind: 'CAPACITY_ADDON', sku: '', quantity: 1, firstPeriod: '2026-01', lastPeriod: null, monthlyCredits: 1_000_000 }],
};
const stage = (r: ReturnType<typeof simulate>, side: 'before' | 'after', id: string) => r[side].find((e) => e.environmentId === id)?.stage;

describe('simulate', () => {
  it('moving 10,000 from dev to hr-test unblocks hr-test and leaves dev normal', () => {
    const r = simulate(acme, { kind: 'allocations', set: [{ environmentId: 'dev', credits: 90_000 }, { environmentId: 'hr-test', credits: 20_000 }] });
    expect(r.refused).toBeUndefined();
    expect(stage(r, 'before', 'hr-test')).toBe('BLOCKED');
    expect(stage(r, 'after', 'hr-test')).toBe('NORMAL');
    expect(r.stageChanges).toEqual([{ environmentId: 'hr-test', displayName: 'hr-test', from: 'BLOCKED', to: 'NORMAL' }]);
    expect(r.capacityAfter.unassigned).toBe(r.capacityBefore.unassigned);
  });

  it('refuses a raise above the unassigned credits, with the numbers', () => {
    const r = simulate(acme, { kind: 'allocations', set: [{ environmentId: 'sales-prod', credits: 1_000_000 }] });
    expect(r.refused).toContain('only 490,000 unassigned');
    expect(r.stageChanges).toEqual([]);
  });

  it('an add-on widens the pool: sandbox goes from warning (82%) to normal', () => {
    const r = simulate(acme, { kind: 'add-capacity', credits: 1_000_000 });
    expect(stage(r, 'before', 'sandbox')).toBe('WARNING');
    expect(stage(r, 'after', 'sandbox')).toBe('NORMAL');
    expect(r.capacityAfter.capacity).toBe(2_000_000);
  });

  it('the only entitlement ending leaves no capacity: the pool blocks, allocations are over capacity', () => {
    const r = simulate(acme, { kind: 'end-entitlement', entitlementId: 'e1' });
    expect(r.capacityAfter).toMatchObject({ capacity: 0, overAllocated: true });
    expect(stage(r, 'after', 'sandbox')).toBe('BLOCKED');
    expect(stage(r, 'after', 'sales-prod')).toBe('NORMAL');
  });

  it('a DUAL tenant past October 2026 keeps no license credits once its add-on ends; CLASSIC keeps them', () => {
    const withLicense: TenantSnapshot = {
      ...acme,
      entitlements: [
        ...acme.entitlements,
        { entitlementId: 'e2', kind: 'LICENSE', sku: 'POWER_APPS_PREMIUM', quantity: 100, firstPeriod: '2026-01', lastPeriod: null, monthlyCredits: 50_000 },
      ],
    };
    expect(simulate(withLicense, { kind: 'end-entitlement', entitlementId: 'e1' }).capacityAfter.capacity).toBe(50_000);
    expect(simulate({ ...withLicense, licensingModel: 'DUAL' }, { kind: 'end-entitlement', entitlementId: 'e1' }).capacityAfter.capacity).toBe(0);
  });
});
