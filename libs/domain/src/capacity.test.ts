import { describe, expect, it } from 'vitest';
import type { EntitlementTerms } from './capacity';
import { capacityOf, isEntitlementActive, validateEntitlement } from './capacity';
import { DEFAULT_LICENSE_CATALOG } from './license-catalog';

const catalog = DEFAULT_LICENSE_CATALOG;
const addon = (quantity: number, firstPeriod = '2026-01', lastPeriod: string | null = null): EntitlementTerms => ({
  kind: 'CAPACITY_ADDON',
  sku: '',
  quantity,
  firstPeriod,
  lastPeriod,
});
const license = (
  sku: string,
  quantity: number,
  firstPeriod = '2026-01',
  lastPeriod: string | null = null,
): EntitlementTerms => ({ kind: 'LICENSE', sku, quantity, firstPeriod, lastPeriod });

describe('validateEntitlement', () => {
  it.each([
    [addon(1), 1_000_000],
    [addon(3), 3_000_000],
    [license('POWER_APPS_PREMIUM', 10), 5_000],
    // The cap applies to the tenant's sum in capacityOf, not to one entitlement's own value.
    [license('DYNAMICS_365_FINANCE_OPERATIONS', 2), 40_000],
    [license('CLOUD_FOR_SUSTAINABILITY_USL_PLUS', 3), 75_000],
  ])('%j is worth %i credits a month', (terms, credits) => {
    expect(validateEntitlement(terms, catalog)).toEqual({ ok: true, value: { monthlyCredits: credits } });
  });

  it.each([
    [{ ...addon(1), kind: 'GIFT' as unknown as 'LICENSE' }, 'ENTITLEMENT.INVALID_KIND', 'kind'],
    [license('POWER_BI_PRO', 1), 'ENTITLEMENT.UNKNOWN_SKU', 'sku'],
    [{ ...addon(1), sku: 'POWER_APPS_PREMIUM' }, 'ENTITLEMENT.SKU_ON_ADDON', 'sku'],
    [addon(0), 'ENTITLEMENT.INVALID_QUANTITY', 'quantity'],
    [addon(-2), 'ENTITLEMENT.INVALID_QUANTITY', 'quantity'],
    [addon(1.5), 'ENTITLEMENT.INVALID_QUANTITY', 'quantity'],
    [addon(Number.MAX_SAFE_INTEGER), 'ENTITLEMENT.INVALID_QUANTITY', 'quantity'],
    [addon(1, '2026-13'), 'ENTITLEMENT.INVALID_PERIOD', 'first_period'],
    [addon(1, '2026-01', '2026/02'), 'ENTITLEMENT.INVALID_PERIOD', 'last_period'],
    [addon(1, '2026-05', '2026-04'), 'ENTITLEMENT.PERIODS_REVERSED', 'last_period'],
  ])('refuses %j with %s on %s', (terms, code, field) => {
    expect(validateEntitlement(terms, catalog)).toMatchObject({
      ok: false,
      error: { category: 'INVALID_ARGUMENT', code, field },
    });
  });

  it('accepts a one-month entitlement (first = last)', () => {
    expect(validateEntitlement(addon(1, '2026-04', '2026-04'), catalog).ok).toBe(true);
  });
});

describe('isEntitlementActive', () => {
  it.each([
    ['2025-12', false],
    ['2026-03', true],
    ['2026-04', true],
    ['2026-06', true],
    ['2026-07', false],
  ])('first 2026-03, last 2026-06: active in %s is %s', (period, active) => {
    expect(isEntitlementActive(addon(1, '2026-03', '2026-06'), period)).toBe(active);
  });

  it('stays active forever without a last period', () => {
    expect(isEntitlementActive(addon(1, '2026-03', null), '2099-12')).toBe(true);
    expect(isEntitlementActive(addon(1, '2026-03', null), '2026-02')).toBe(false);
  });
});

describe('capacityOf', () => {
  it('adds an add-on unit and 10 Power Apps Premium seats: 1,005,000 (DOMAIN example)', () => {
    expect(capacityOf([addon(1), license('POWER_APPS_PREMIUM', 10)], '2026-11', catalog)).toBe(1_005_000);
  });

  it.each([
    // sku, seats under the cap -> credits, seats over the cap -> capped credits
    ['POWER_APPS_PREMIUM', 100, 50_000, 2_500, 1_000_000],
    ['POWER_APPS_PER_APP', 100, 25_000, 5_000, 1_000_000],
    ['POWER_AUTOMATE_PREMIUM', 10, 50_000, 201, 1_000_000],
    ['POWER_AUTOMATE_PROCESS', 10, 50_000, 201, 1_000_000],
    ['POWER_AUTOMATE_HOSTED_RPA', 10, 50_000, 201, 1_000_000],
    ['POWER_AUTOMATE_UNATTENDED_RPA', 10, 50_000, 201, 1_000_000],
    ['DYNAMICS_365_FINANCE_OPERATIONS', 1, 20_000, 5, 20_000],
    // No cap: 100 seats give all 2,500,000.
    ['CLOUD_FOR_SUSTAINABILITY_USL_PLUS', 4, 100_000, 100, 2_500_000],
  ])('%s: %i seats -> %i, %i seats -> %i', (sku, fewSeats, fewCredits, manySeats, manyCredits) => {
    expect(capacityOf([license(sku, fewSeats)], '2026-05', catalog)).toBe(fewCredits);
    expect(capacityOf([license(sku, manySeats)], '2026-05', catalog)).toBe(manyCredits);
  });

  it('caps per SKU across several purchases of the same SKU', () => {
    const ents = [license('POWER_APPS_PREMIUM', 1_500), license('POWER_APPS_PREMIUM', 1_000)];
    expect(capacityOf(ents, '2026-05', catalog)).toBe(1_000_000);
  });

  it('caps each SKU separately, never the add-ons', () => {
    const ents = [
      license('POWER_AUTOMATE_PREMIUM', 300), // 1,500,000 -> 1,000,000
      license('POWER_AUTOMATE_PROCESS', 300), // 1,500,000 -> 1,000,000
      license('DYNAMICS_365_FINANCE_OPERATIONS', 3), // 60,000 -> 20,000
      addon(2), // 2,000,000, no cap
    ];
    expect(capacityOf(ents, '2026-05', catalog)).toBe(4_020_000);
  });

  it('counts only entitlements active in the period', () => {
    const ents = [addon(1, '2026-01', '2026-03'), addon(2, '2026-03', null), license('POWER_APPS_PER_APP', 4, '2026-04')];
    expect(capacityOf(ents, '2025-12', catalog)).toBe(0);
    expect(capacityOf(ents, '2026-02', catalog)).toBe(1_000_000);
    expect(capacityOf(ents, '2026-03', catalog)).toBe(3_000_000);
    expect(capacityOf(ents, '2026-04', catalog)).toBe(2_001_000);
  });

  it('ignores a SKU missing from the catalog instead of guessing its value', () => {
    expect(capacityOf([license('RETIRED_SKU', 10), addon(1)], '2026-05', catalog)).toBe(1_000_000);
  });
});
