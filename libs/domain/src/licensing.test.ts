import { describe, expect, it } from 'vitest';
import type { EntitlementTerms } from './capacity';
import { validateEntitlement } from './capacity';
import { DEFAULT_LICENSE_CATALOG } from './license-catalog';
import { aiBuilderCapacityOf, copilotCapacityOf, copilotPaygActive } from './licensing';

const license: EntitlementTerms = { kind: 'LICENSE', sku: 'POWER_APPS_PREMIUM', quantity: 100, firstPeriod: '2026-01', lastPeriod: null };
const addon: EntitlementTerms = { kind: 'CAPACITY_ADDON', sku: '', quantity: 1, firstPeriod: '2026-01', lastPeriod: null };
const packs: EntitlementTerms = { kind: 'COPILOT_PACK', sku: '', quantity: 2, firstPeriod: '2026-11', lastPeriod: null };
const payg: EntitlementTerms = { kind: 'COPILOT_PAYG', sku: '', quantity: 1, firstPeriod: '2026-11', lastPeriod: null };
const all = [license, addon, packs, payg];

describe('seeded license credits under DUAL', () => {
  it('count up to 2026-10 and end after it; add-ons go on', () => {
    expect(aiBuilderCapacityOf('DUAL', all, '2026-10', DEFAULT_LICENSE_CATALOG)).toBe(1_050_000);
    expect(aiBuilderCapacityOf('DUAL', all, '2026-11', DEFAULT_LICENSE_CATALOG)).toBe(1_000_000);
  });

  it('never end under CLASSIC', () => {
    expect(aiBuilderCapacityOf('CLASSIC', all, '2027-03', DEFAULT_LICENSE_CATALOG)).toBe(1_050_000);
  });
});

describe('Copilot sources', () => {
  it('packs give 25,000 Copilot Credits each under DUAL only', () => {
    expect(copilotCapacityOf('DUAL', all, '2026-11')).toBe(50_000);
    expect(copilotCapacityOf('DUAL', all, '2026-10')).toBe(0);
    expect(copilotCapacityOf('CLASSIC', all, '2026-11')).toBe(0);
  });

  it('pay-as-you-go is active from its first period under DUAL', () => {
    expect(copilotPaygActive('DUAL', all, '2026-11')).toBe(true);
    expect(copilotPaygActive('CLASSIC', all, '2026-11')).toBe(false);
  });

  it('validates packs and pay-as-you-go', () => {
    expect(validateEntitlement(packs, DEFAULT_LICENSE_CATALOG)).toEqual({ ok: true, value: { monthlyCredits: 50_000 } });
    expect(validateEntitlement({ ...payg, quantity: 0 }, DEFAULT_LICENSE_CATALOG)).toEqual({ ok: true, value: { monthlyCredits: 0 } });
    expect(validateEntitlement({ ...payg, quantity: 3 }, DEFAULT_LICENSE_CATALOG).ok).toBe(false);
    expect(validateEntitlement({ ...packs, sku: 'X' }, DEFAULT_LICENSE_CATALOG).ok).toBe(false);
  });

  it('packs are never AI Builder capacity', () => {
    expect(aiBuilderCapacityOf('DUAL', [packs], '2026-11', DEFAULT_LICENSE_CATALOG)).toBe(0);
  });
});
