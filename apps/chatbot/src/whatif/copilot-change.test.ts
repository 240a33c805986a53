import { describe, expect, it } from 'vitest';
import { DEFAULT_STAGE_THRESHOLDS, emptyCopilotUsage } from '@allot/domain';
import { simulate, type EnvironmentSnapshot, type TenantSnapshot } from './what-if.model';
import { whatIfSections } from './what-if.reply';

/**
 * DUAL, November 2026: no AI Builder credits left for either environment (both allocations used up). Copilot: one pack
 * (25,000); ops 5,000 of its own (used up) and the tenant's pool (20,000, 2,000 used by it); lab on the pool only.
 */
const env = (environmentId: string, copilotAllocation: number, usage: { allocation?: number; unassigned?: number }): EnvironmentSnapshot => ({
  environmentId,
  displayName: environmentId,
  allocation: 1_000,
  poolFallback: false,
  consumed: 1_000,
  trialCredits: 0,
  overageCredits: 0,
  copilot: { allocation: copilotAllocation, drawFromTenant: true, payg: false, paygBudget: 0, usage: { ...emptyCopilotUsage(), ...usage } },
});
const tenant: TenantSnapshot = {
  period: '2026-11',
  capacity: 2_000,
  allowUnassigned: true,
  thresholds: DEFAULT_STAGE_THRESHOLDS,
  licensingModel: 'DUAL',
  copilot: { capacity: 25_000, paygActive: true },
  environments: [env('ops', 5_000, { allocation: 5_000_000, unassigned: 2_000_000 }), env('lab', 0, {})],
  entitlements: [],
};
const stages = (w: ReturnType<typeof simulate>, side: 'before' | 'after') => Object.fromEntries(w[side].map((e) => [e.environmentId, e.stage]));

describe('what-if of a Copilot change (DUAL)', () => {
  it('ops no longer drawing from the tenant is Blocked; pay-as-you-go with a budget of 1,000 unblocks it', () => {
    const stop = simulate(tenant, { kind: 'copilot', set: [{ environmentId: 'ops', drawFromTenant: false }] });
    expect(stages(stop, 'before')).toEqual({ ops: 'NORMAL', lab: 'NORMAL' });
    expect(stages(stop, 'after')).toEqual({ ops: 'BLOCKED', lab: 'NORMAL' });
    expect(whatIfSections(stop).changeLine).toBe('Would change stage: ops Normal → Blocked.');

    const payg = simulate(tenant, { kind: 'copilot', set: [{ environmentId: 'ops', drawFromTenant: false, payg: true, paygBudget: 1_000 }] });
    // 7,000 drawn (its allocation and the pool before) of the 8,000 it may now draw: near its end, but not refused.
    expect(stages(payg, 'after')).toEqual({ ops: 'WARNING', lab: 'NORMAL' });
  });

  it('a Copilot allocation moves the Copilot pool, not the AI Builder capacity', () => {
    const w = simulate(tenant, { kind: 'copilot', set: [{ environmentId: 'lab', allocation: 15_000 }] });
    expect(w.copilotCapacityBefore).toMatchObject({ capacity: 25_000, allocated: 5_000, unassigned: 20_000 });
    expect(w.copilotCapacityAfter).toMatchObject({ allocated: 20_000, unassigned: 5_000 });
    expect(w.capacityAfter).toEqual(w.capacityBefore);
    expect(whatIfSections(w).sections.map((s) => s.heading)).toEqual(['Stages before → after', 'Capacity (AI Builder credits)', 'Capacity (Copilot Credits)']);
  });

  it('refuses a Copilot allocation above the packs, and any Copilot change of a CLASSIC tenant', () => {
    expect(simulate(tenant, { kind: 'copilot', set: [{ environmentId: 'lab', allocation: 30_000 }] }).refused).toBe(
      'lab cannot go from 0 to 30,000 Copilot Credits: only 20,000 unassigned in the Copilot pool (capacity 25,000, allocated 5,000); lab can have at most 20,000',
    );
    expect(simulate({ ...tenant, licensingModel: 'CLASSIC' }, { kind: 'copilot', set: [{ environmentId: 'lab', allocation: 1 }] }).refused).toBe(
      'Copilot Credits apply only to tenants on the DUAL licensing model',
    );
  });
});
