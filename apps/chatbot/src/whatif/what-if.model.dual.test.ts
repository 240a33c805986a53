import { describe, expect, it } from 'vitest';
import { DEFAULT_STAGE_THRESHOLDS, emptyCopilotUsage, type CopilotUsage } from '@allot/domain';
import { simulate, type Change, type EnvironmentCopilotSnapshot, type EnvironmentSnapshot, type TenantSnapshot } from './what-if.model';

const copilot = (c: Partial<Omit<EnvironmentCopilotSnapshot, 'usage'>> & { usage?: Partial<CopilotUsage> } = {}): EnvironmentCopilotSnapshot => ({
  allocation: 0,
  drawFromTenant: true,
  payg: false,
  paygBudget: 0,
  ...c,
  usage: { ...emptyCopilotUsage(), ...c.usage },
});

const env = (environmentId: string, allocation: number, consumed: number, c: EnvironmentCopilotSnapshot): EnvironmentSnapshot => ({
  environmentId,
  displayName: environmentId,
  allocation,
  poolFallback: false,
  consumed,
  trialCredits: 0,
  overageCredits: 0,
  copilot: c,
});

/**
 * Fabrikam, DUAL, November 2026. AI Builder: one add-on (100,000); dev 20,000 (15,000 used), prod 30,000 (used up),
 * ops 10,000 (used up), sandbox on the pool (40,000 of 40,000 used). Copilot: one pack (25,000); prod 10,000 of its
 * own (2,500.5 used), ops 2,000 of its own (used up), both without the tenant's pool; the pool of 13,000 has 1,000 left.
 */
const fabrikam: TenantSnapshot = {
  period: '2026-11',
  capacity: 100_000,
  allowUnassigned: true,
  thresholds: DEFAULT_STAGE_THRESHOLDS,
  licensingModel: 'DUAL',
  copilot: { capacity: 25_000, paygActive: true },
  environments: [
    env('dev', 20_000, 15_000, copilot()),
    env('prod', 30_000, 30_000, copilot({ allocation: 10_000, drawFromTenant: false, usage: { allocation: 2_500_500 } })),
    env('ops', 10_000, 10_000, copilot({ allocation: 2_000, drawFromTenant: false, usage: { allocation: 2_000_000 } })),
    env('sandbox', 0, 40_000, copilot({ usage: { unassigned: 12_000_000 } })),
  ],
  entitlements: [{ entitlementId: 'addon', kind: 'CAPACITY_ADDON', sku: '', quantity: 1, firstPeriod: '2026-01', lastPeriod: null, monthlyCredits: 100_000 }],
};
const classic: TenantSnapshot = { ...fabrikam, licensingModel: 'CLASSIC' };

const stages = (r: ReturnType<typeof simulate>, side: 'before' | 'after'): Record<string, string> => Object.fromEntries(r[side].map((e) => [e.environmentId, e.stage]));
const move = (from: string, fromCredits: number, to: string, toCredits: number): Change => ({
  kind: 'allocations',
  set: [
    { environmentId: from, credits: fromCredits },
    { environmentId: to, credits: toCredits },
  ],
});

describe('simulate, DUAL tenant', () => {
  it('reads today with both currencies: AI Builder used up but Copilot left is Normal or Warning, both used up is Blocked', () => {
    const r = simulate(fabrikam, { kind: 'add-capacity', credits: 0 });
    // prod: AI Builder used up, 7,499.5 of 10,000 Copilot Credits left (25% used); sandbox: pool used up, 1,000 of 13,000 Copilot left (92%).
    expect(stages(r, 'before')).toEqual({ dev: 'NORMAL', prod: 'NORMAL', ops: 'BLOCKED', sandbox: 'WARNING' });
    expect(r.before.find((e) => e.environmentId === 'prod')?.copilot).toEqual({ consumed: 2_500_500, remaining: 7_499_500, available: 10_000_000, overage: 0 });
    expect(r.licensingModel).toBe('DUAL');
    // The same numbers under CLASSIC: AI Builder alone, where used up is Warning, never Blocked at 100%.
    expect(stages(simulate(classic, { kind: 'add-capacity', credits: 0 }), 'before')).toEqual({ dev: 'NORMAL', prod: 'WARNING', ops: 'WARNING', sandbox: 'WARNING' });
  });

  it('moving 5,000 from prod to dev leaves prod Normal on its Copilot Credits, where CLASSIC reads Overage (120%)', () => {
    const r = simulate(fabrikam, move('prod', 25_000, 'dev', 25_000));
    expect(r.refused).toBeUndefined();
    expect(stages(r, 'after')).toEqual({ dev: 'NORMAL', prod: 'NORMAL', ops: 'BLOCKED', sandbox: 'WARNING' });
    expect(r.stageChanges).toEqual([]);
    expect(r.capacityAfter).toMatchObject({ capacity: 100_000, allocated: 60_000, unassigned: 40_000 });
    expect(stages(simulate(classic, move('prod', 25_000, 'dev', 25_000)), 'after')).toMatchObject({ prod: 'OVERAGE' });
  });

  it('moving 5,000 from dev to ops unblocks ops; dev, with its allocation used up, stays Normal on the Copilot pool', () => {
    const r = simulate(fabrikam, move('dev', 15_000, 'ops', 15_000));
    expect(r.stageChanges).toEqual([{ environmentId: 'ops', displayName: 'ops', from: 'BLOCKED', to: 'NORMAL' }]);
    expect(stages(r, 'after')).toMatchObject({ dev: 'NORMAL', ops: 'NORMAL' });
    expect(stages(simulate(classic, move('dev', 15_000, 'ops', 15_000)), 'after')).toMatchObject({ dev: 'WARNING', ops: 'NORMAL' });
  });

  it('moving the last 5,000 of ops away keeps it Blocked and never reads Overage (no grace under DUAL)', () => {
    const r = simulate(fabrikam, move('ops', 5_000, 'dev', 25_000));
    expect(stages(r, 'after')).toMatchObject({ ops: 'BLOCKED' });
    expect(r.after.some((e) => e.stage === 'OVERAGE')).toBe(false);
    expect(stages(simulate(classic, move('ops', 5_000, 'dev', 25_000)), 'after')).toMatchObject({ ops: 'BLOCKED' });
  });

  it('the add-on ending leaves the pool empty: sandbox is Warning on its last 1,000 Copilot Credits, not Blocked as under CLASSIC', () => {
    const r = simulate(fabrikam, { kind: 'end-entitlement', entitlementId: 'addon' });
    expect(r.capacityAfter).toMatchObject({ capacity: 0, overAllocated: true });
    expect(stages(r, 'after')).toMatchObject({ sandbox: 'WARNING', prod: 'NORMAL', ops: 'BLOCKED' });
    expect(stages(simulate(classic, { kind: 'end-entitlement', entitlementId: 'addon' }), 'after')).toMatchObject({ sandbox: 'BLOCKED' });
  });

  it('the Copilot pool used up too blocks sandbox; pay-as-you-go without a budget never blocks', () => {
    const drained: TenantSnapshot = {
      ...fabrikam,
      environments: fabrikam.environments.map((e) => (e.environmentId === 'sandbox' ? { ...e, copilot: copilot({ usage: { unassigned: 13_000_000 } }) } : e)),
    };
    expect(stages(simulate(drained, { kind: 'add-capacity', credits: 0 }), 'before')).toMatchObject({ sandbox: 'BLOCKED', dev: 'NORMAL' });
    // Adding an add-on widens the AI Builder pool: sandbox has 1,000,000 to draw again.
    expect(simulate(drained, { kind: 'add-capacity', credits: 1_000_000 }).stageChanges).toContainEqual({ environmentId: 'sandbox', displayName: 'sandbox', from: 'BLOCKED', to: 'NORMAL' });
    const withPayg: TenantSnapshot = {
      ...fabrikam,
      environments: fabrikam.environments.map((e) => (e.environmentId === 'ops' ? { ...e, copilot: copilot({ allocation: 2_000, drawFromTenant: false, payg: true, usage: { allocation: 2_000_000, payg: 900_000 } }) } : e)),
    };
    const ops = simulate(withPayg, { kind: 'add-capacity', credits: 0 }).before.find((e) => e.environmentId === 'ops');
    expect(ops).toMatchObject({ stage: 'NORMAL', copilot: { remaining: null, available: null } });
    // Pay-as-you-go with a budget of 1,000 of which 900 are used: every currency near its end, Warning.
    const budgeted: TenantSnapshot = { ...withPayg, environments: withPayg.environments.map((e) => (e.environmentId === 'ops' && e.copilot ? { ...e, copilot: { ...e.copilot, paygBudget: 1_000 } } : e)) };
    expect(stages(simulate(budgeted, { kind: 'add-capacity', credits: 0 }), 'before')).toMatchObject({ ops: 'WARNING' });
  });

  it('without the Copilot data (a DUAL tenant with no pack and no pay-as-you-go), AI Builder used up is Blocked', () => {
    const bare: TenantSnapshot = { ...fabrikam, copilot: undefined, environments: fabrikam.environments.map(({ copilot: _ignored, ...e }) => e) };
    expect(stages(simulate(bare, { kind: 'add-capacity', credits: 0 }), 'before')).toEqual({ dev: 'NORMAL', prod: 'BLOCKED', ops: 'BLOCKED', sandbox: 'BLOCKED' });
  });
});
