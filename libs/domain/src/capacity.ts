import type { Result } from './result';
import type { DomainError } from './domain-error';
import type { LicenseCatalog } from './license-catalog';
import type { Period } from './period';
import { ok, err } from './result';
import { domainError } from './domain-error';
import { ADDON_CREDITS_PER_UNIT, COPILOT_PACK_CREDITS } from './license-catalog';
import { comparePeriods, isPeriod } from './period';

/** COPILOT_PACK and COPILOT_PAYG are Copilot Credit sources (docs/licensing.md); they count under DUAL only. */
export type EntitlementKind = 'CAPACITY_ADDON' | 'LICENSE' | 'COPILOT_PACK' | 'COPILOT_PAYG';

export interface EntitlementTerms {
  readonly kind: EntitlementKind;
  /** License SKU; empty for add-ons. */
  readonly sku: string;
  readonly quantity: number;
  readonly firstPeriod: Period;
  /** Inclusive; null means open-ended. */
  readonly lastPeriod: Period | null;
}

const invalid = (code: string, message: string, field: string): Result<never, DomainError> =>
  err(domainError('INVALID_ARGUMENT', code, message, field));

/**
 * Validates new entitlement terms (kind, SKU in the catalog, quantity >= 1, periods well-formed and ordered)
 * and returns the monthly credits of this entitlement alone (add-on: units x 1,000,000; license: seats x per seat).
 */
export function validateEntitlement(
  terms: EntitlementTerms,
  catalog: LicenseCatalog,
): Result<{ monthlyCredits: number }, DomainError> {
  // Terms arrive from the wire, so the kind is checked even though the type says it cannot be wrong.
  const kind: string = terms.kind;
  if (kind !== 'CAPACITY_ADDON' && kind !== 'LICENSE' && kind !== 'COPILOT_PACK' && kind !== 'COPILOT_PAYG') {
    return invalid(
      'ENTITLEMENT.INVALID_KIND',
      `kind must be CAPACITY_ADDON, LICENSE, COPILOT_PACK or COPILOT_PAYG, got ${JSON.stringify(kind)}`,
      'kind',
    );
  }
  // Pay-as-you-go is a billing link, not a monthly amount: quantity 0 or 1, no credits of its own.
  const payg = terms.kind === 'COPILOT_PAYG';
  let perUnit = payg ? 0 : terms.kind === 'COPILOT_PACK' ? COPILOT_PACK_CREDITS : ADDON_CREDITS_PER_UNIT;
  if (terms.kind === 'LICENSE') {
    const sku = catalog.get(terms.sku);
    if (sku === undefined) {
      return invalid(
        'ENTITLEMENT.UNKNOWN_SKU',
        `unknown license SKU ${JSON.stringify(terms.sku)}; known: ${[...catalog.keys()].join(', ')}`,
        'sku',
      );
    }
    perUnit = sku.creditsPerSeat;
  } else if (terms.sku !== '') {
    return invalid('ENTITLEMENT.SKU_ON_ADDON', `a ${terms.kind.toLowerCase().replace('_', ' ')} entitlement has no SKU, got ${JSON.stringify(terms.sku)}`, 'sku');
  }
  if (payg && terms.quantity !== 0 && terms.quantity !== 1) {
    return invalid('ENTITLEMENT.INVALID_QUANTITY', `pay-as-you-go takes quantity 0 or 1 (a billing link), got ${terms.quantity}`, 'quantity');
  }
  if (!payg && (!Number.isSafeInteger(terms.quantity) || terms.quantity < 1)) {
    return invalid('ENTITLEMENT.INVALID_QUANTITY', `quantity must be a whole number >= 1, got ${terms.quantity}`, 'quantity');
  }
  if (!isPeriod(terms.firstPeriod)) {
    return invalid(
      'ENTITLEMENT.INVALID_PERIOD',
      `first_period must be YYYY-MM, got ${JSON.stringify(terms.firstPeriod)}`,
      'first_period',
    );
  }
  if (terms.lastPeriod !== null) {
    if (!isPeriod(terms.lastPeriod)) {
      return invalid(
        'ENTITLEMENT.INVALID_PERIOD',
        `last_period must be YYYY-MM or empty, got ${JSON.stringify(terms.lastPeriod)}`,
        'last_period',
      );
    }
    if (comparePeriods(terms.lastPeriod, terms.firstPeriod) < 0) {
      return invalid(
        'ENTITLEMENT.PERIODS_REVERSED',
        `last_period ${terms.lastPeriod} is before first_period ${terms.firstPeriod}`,
        'last_period',
      );
    }
  }
  const monthlyCredits = terms.quantity * perUnit;
  if (!Number.isSafeInteger(monthlyCredits)) {
    return invalid(
      'ENTITLEMENT.INVALID_QUANTITY',
      `quantity ${terms.quantity} x ${perUnit} credits exceeds ${Number.MAX_SAFE_INTEGER} credits`,
      'quantity',
    );
  }
  return ok({ monthlyCredits });
}

export function isEntitlementActive(terms: EntitlementTerms, period: Period): boolean {
  return (
    comparePeriods(terms.firstPeriod, period) <= 0 &&
    (terms.lastPeriod === null || comparePeriods(period, terms.lastPeriod) <= 0)
  );
}

/** Capacity(P): the sum of active non-trial entitlements, license credits capped per SKU per tenant. */
export function capacityOf(
  entitlements: readonly EntitlementTerms[],
  period: Period,
  catalog: LicenseCatalog,
): number {
  let addons = 0;
  const seatsBySku = new Map<string, number>();
  for (const e of entitlements) {
    if (!isEntitlementActive(e, period)) continue;
    if (e.kind === 'CAPACITY_ADDON') addons += e.quantity * ADDON_CREDITS_PER_UNIT;
    // Copilot sources are another currency (licensing.ts): never AI Builder capacity.
    else if (e.kind === 'LICENSE') seatsBySku.set(e.sku, (seatsBySku.get(e.sku) ?? 0) + e.quantity);
  }
  let licenses = 0;
  for (const [skuName, seats] of seatsBySku) {
    // A SKU dropped from the catalog after sale has no known per-seat value; it adds nothing rather than guess.
    const sku = catalog.get(skuName);
    if (sku === undefined) continue;
    const credits = seats * sku.creditsPerSeat;
    // The cap is per SKU for the whole tenant, so several purchases of one SKU share it.
    licenses += sku.tenantCapPerMonth === null ? credits : Math.min(credits, sku.tenantCapPerMonth);
  }
  return addons + licenses;
}
