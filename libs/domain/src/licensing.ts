import type { EntitlementTerms } from './capacity';
import type { LicenseCatalog } from './license-catalog';
import type { Period } from './period';
import { capacityOf, isEntitlementActive } from './capacity';
import { COPILOT_PACK_CREDITS } from './license-catalog';
import { comparePeriods } from './period';

/**
 * Which rules a tenant follows (docs/licensing.md): CLASSIC, AI Builder credits only with grace, trials and
 * seeded license credits (the default, unchanged); DUAL, Microsoft's rules since 2025-11-01: AI Builder credits
 * first, then Copilot Credits, no grace stage, makers never blocked, no new trials, seeded credits end after 2026-10.
 */
export type LicensingModel = 'CLASSIC' | 'DUAL';

export const DEFAULT_LICENSING_MODEL: LicensingModel = 'CLASSIC';

/** Under DUAL, license (seeded) entitlements give AI Builder credits up to and including this period only. */
export const SEEDED_LICENSE_LAST_PERIOD: Period = '2026-10';

/**
 * AI Builder Capacity(P) under a model. DUAL drops license entitlements for periods after 2026-10 (capacity
 * add-ons keep theirs until their own last period). Copilot packs and pay-as-you-go never count here.
 */
export function aiBuilderCapacityOf(
  model: LicensingModel,
  entitlements: readonly EntitlementTerms[],
  period: Period,
  catalog: LicenseCatalog,
): number {
  const seededEnded = model === 'DUAL' && comparePeriods(period, SEEDED_LICENSE_LAST_PERIOD) > 0;
  const counted = entitlements.filter((e) => e.kind === 'CAPACITY_ADDON' || (e.kind === 'LICENSE' && !seededEnded));
  return capacityOf(counted, period, catalog);
}

/** Copilot Capacity(P) in whole Copilot Credits: packs active in P x 25,000. 0 under CLASSIC (not used there). */
export function copilotCapacityOf(model: LicensingModel, entitlements: readonly EntitlementTerms[], period: Period): number {
  if (model !== 'DUAL') return 0;
  let packs = 0;
  for (const e of entitlements) if (e.kind === 'COPILOT_PACK' && isEntitlementActive(e, period)) packs += e.quantity;
  return packs * COPILOT_PACK_CREDITS;
}

/** Is pay-as-you-go billing set up for the tenant in P (a COPILOT_PAYG entitlement active in P, DUAL only)? */
export function copilotPaygActive(model: LicensingModel, entitlements: readonly EntitlementTerms[], period: Period): boolean {
  return model === 'DUAL' && entitlements.some((e) => e.kind === 'COPILOT_PAYG' && isEntitlementActive(e, period));
}
