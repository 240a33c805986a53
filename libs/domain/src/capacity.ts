import type { Result } from './result';
import type { DomainError } from './domain-error';
import type { LicenseCatalog } from './license-catalog';
import type { Period } from './period';

export type EntitlementKind = 'CAPACITY_ADDON' | 'LICENSE';

export interface EntitlementTerms {
  readonly kind: EntitlementKind;
  /** License SKU; empty for add-ons. */
  readonly sku: string;
  readonly quantity: number;
  readonly firstPeriod: Period;
  /** Inclusive; null means open-ended. */
  readonly lastPeriod: Period | null;
}

/**
 * Validates new entitlement terms (kind, SKU in the catalog, quantity >= 1, periods well-formed and ordered)
 * and returns the monthly credits of this entitlement alone (add-on: units x 1,000,000; license: seats x per seat).
 */
export declare function validateEntitlement(
  terms: EntitlementTerms,
  catalog: LicenseCatalog,
): Result<{ monthlyCredits: number }, DomainError>;

export declare function isEntitlementActive(terms: EntitlementTerms, period: Period): boolean;

/** Capacity(P): the sum of active non-trial entitlements, license credits capped per SKU per tenant. */
export declare function capacityOf(
  entitlements: readonly EntitlementTerms[],
  period: Period,
  catalog: LicenseCatalog,
): number;
