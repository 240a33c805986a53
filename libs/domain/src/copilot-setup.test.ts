import { describe, expect, it } from 'vitest';
import { copilotSetupOf } from './copilot-setup';

describe('copilotSetupOf', () => {
  it('keeps allocations above 0, lists environments that do not draw from the tenant, and reads budget 0 as no limit', () => {
    const setup = copilotSetupOf(50_000, true, [
      { environmentId: 'prod', allocation: 20_000, drawFromTenant: true, payg: true, paygBudget: 5_000 },
      { environmentId: 'dev', allocation: 0, drawFromTenant: false, payg: true, paygBudget: 0 },
      { environmentId: 'test', allocation: 0, drawFromTenant: true, payg: false, paygBudget: 100 },
    ]);
    expect(setup.capacity).toBe(50_000);
    expect(setup.paygActive).toBe(true);
    expect([...setup.allocations]).toEqual([['prod', 20_000]]);
    expect([...setup.noTenantDraw]).toEqual(['dev']);
    expect([...setup.payg]).toEqual([
      ['prod', 5_000],
      ['dev', null],
    ]);
  });
});
