/** Credits per capacity add-on unit per month. */
export const ADDON_CREDITS_PER_UNIT = 1_000_000;
/** Copilot Credits per prepaid Copilot Credit pack per month (no roll-over; docs/licensing.md). */
export const COPILOT_PACK_CREDITS = 25_000;

export interface LicenseSku {
  readonly sku: string;
  readonly creditsPerSeat: number;
  /** Tenant cap per month for this SKU; null means no cap. */
  readonly tenantCapPerMonth: number | null;
}

/** Catalog: data, not code. A tenant may hold several SKUs. */
export type LicenseCatalog = ReadonlyMap<string, LicenseSku>;

const sku = (name: string, creditsPerSeat: number, tenantCapPerMonth: number | null): [string, LicenseSku] => [
  name,
  { sku: name, creditsPerSeat, tenantCapPerMonth },
];

/** The default catalog of docs/credit-rules.md, Licenses. */
export const DEFAULT_LICENSE_CATALOG: LicenseCatalog = new Map<string, LicenseSku>([
  sku('POWER_APPS_PREMIUM', 500, 1_000_000),
  sku('POWER_APPS_PER_APP', 250, 1_000_000),
  sku('POWER_AUTOMATE_PREMIUM', 5_000, 1_000_000),
  sku('POWER_AUTOMATE_PROCESS', 5_000, 1_000_000),
  sku('POWER_AUTOMATE_HOSTED_RPA', 5_000, 1_000_000),
  sku('POWER_AUTOMATE_UNATTENDED_RPA', 5_000, 1_000_000),
  sku('DYNAMICS_365_FINANCE_OPERATIONS', 20_000, 20_000),
  sku('CLOUD_FOR_SUSTAINABILITY_USL_PLUS', 25_000, null),
]);
