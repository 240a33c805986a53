import { describe, expect, it } from 'vitest';
import { checkAllocationChange, summarizeCapacity } from './allocation';

const CAPACITY = 1_005_000; // one add-on unit + 10 POWER_APPS_PREMIUM seats

describe('checkAllocationChange (DOMAIN example)', () => {
  const allocations = new Map([
    ['prod', 600_000],
    ['test', 300_000],
  ]);

  it('accepts the first two allocations', () => {
    const first = checkAllocationChange(CAPACITY, new Map(), 'prod', 600_000);
    expect(first).toEqual({
      ok: true,
      value: { capacity: CAPACITY, allocated: 600_000, unassigned: 405_000, overAllocated: false, overAllocatedBy: 0 },
    });
    const second = checkAllocationChange(CAPACITY, new Map([['prod', 600_000]]), 'test', 300_000);
    expect(second).toMatchObject({ ok: true, value: { allocated: 900_000, unassigned: 105_000 } });
  });

  it('refuses a third of 200,000, saying only 105000 credits are unassigned', () => {
    const r = checkAllocationChange(CAPACITY, allocations, 'dev', 200_000);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ category: 'FAILED_PRECONDITION', code: 'ALLOCATION.EXCEEDS_CAPACITY', field: 'credits' });
    expect(r.error.message).toContain('only 105000 credits unassigned');
    expect(r.error.message).toContain('200000');
  });

  it('accepts exactly what is free, and refuses one credit more', () => {
    expect(checkAllocationChange(CAPACITY, allocations, 'dev', 105_000)).toMatchObject({
      ok: true,
      value: { allocated: 1_005_000, unassigned: 0 },
    });
    expect(checkAllocationChange(CAPACITY, allocations, 'dev', 105_001).ok).toBe(false);
  });

  it('lets an environment grow by what is free, counting its own allocation', () => {
    expect(checkAllocationChange(CAPACITY, allocations, 'test', 405_000).ok).toBe(true);
    const r = checkAllocationChange(CAPACITY, allocations, 'test', 405_001);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/only 105000 credits unassigned.*at most 405000/);
  });

  it('removes an allocation with 0', () => {
    expect(checkAllocationChange(CAPACITY, allocations, 'prod', 0)).toMatchObject({
      ok: true,
      value: { allocated: 300_000, unassigned: 705_000 },
    });
  });

  it.each([-1, 2.5, Number.NaN, 2 ** 53])('refuses %s credits on the credits field', (credits) => {
    expect(checkAllocationChange(CAPACITY, allocations, 'dev', credits)).toMatchObject({
      ok: false,
      error: { category: 'INVALID_ARGUMENT', code: 'ALLOCATION.INVALID_CREDITS', field: 'credits' },
    });
  });
});

describe('over-allocation (capacity dropped below allocations)', () => {
  const allocations = new Map([
    ['prod', 600_000],
    ['test', 300_000],
  ]);

  it('is summarised with unassigned 0 and the excess', () => {
    expect(summarizeCapacity(500_000, allocations)).toEqual({
      capacity: 500_000,
      allocated: 900_000,
      unassigned: 0,
      overAllocated: true,
      overAllocatedBy: 400_000,
    });
  });

  it('still lets an admin lower an allocation, even if it stays over-allocated', () => {
    expect(checkAllocationChange(500_000, allocations, 'prod', 500_000)).toMatchObject({
      ok: true,
      value: { allocated: 800_000, overAllocated: true, overAllocatedBy: 300_000 },
    });
  });

  it('refuses any raise, saying 0 credits are unassigned', () => {
    const r = checkAllocationChange(500_000, allocations, 'dev', 1);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('only 0 credits unassigned');
  });

  it('is not over-allocated at exactly full capacity', () => {
    expect(summarizeCapacity(900_000, allocations)).toMatchObject({ overAllocated: false, overAllocatedBy: 0, unassigned: 0 });
  });
});
