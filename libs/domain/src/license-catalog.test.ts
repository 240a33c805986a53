import { describe, expect, it } from 'vitest';
import { ADDON_CREDITS_PER_UNIT, DEFAULT_LICENSE_CATALOG } from './license-catalog';

describe('DEFAULT_LICENSE_CATALOG (docs/credit-rules.md, Licenses)', () => {
  it.each([
    ['POWER_APPS_PREMIUM', 500, 1_000_000],
    ['POWER_APPS_PER_APP', 250, 1_000_000],
    ['POWER_AUTOMATE_PREMIUM', 5_000, 1_000_000],
    ['POWER_AUTOMATE_PROCESS', 5_000, 1_000_000],
    ['POWER_AUTOMATE_HOSTED_RPA', 5_000, 1_000_000],
    ['POWER_AUTOMATE_UNATTENDED_RPA', 5_000, 1_000_000],
    ['DYNAMICS_365_FINANCE_OPERATIONS', 20_000, 20_000],
    ['CLOUD_FOR_SUSTAINABILITY_USL_PLUS', 25_000, null],
  ])('%s: %i per seat, cap %s', (sku, perSeat, cap) => {
    expect(DEFAULT_LICENSE_CATALOG.get(sku)).toEqual({ sku, creditsPerSeat: perSeat, tenantCapPerMonth: cap });
  });

  it('holds exactly the eight SKUs of docs/credit-rules.md', () => {
    expect(DEFAULT_LICENSE_CATALOG.size).toBe(8);
  });

  it('prices an add-on unit at one million credits', () => {
    expect(ADDON_CREDITS_PER_UNIT).toBe(1_000_000);
  });
});
