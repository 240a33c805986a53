/** Credits per capacity add-on unit per month. */
export const ADDON_CREDITS_PER_UNIT = 1_000_000;

export interface LicenseSku {
  readonly sku: string;
  readonly creditsPerSeat: number;
  /** Tenant cap per month for this SKU; null means no cap. */
  readonly tenantCapPerMonth: number | null;
}

/** Catalog: data, not code. A tenant may hold several SKUs. */
export type LicenseCatalog = ReadonlyMap<string, LicenseSku>;

/** The default catalog of DOMAIN.md. */
export declare const DEFAULT_LICENSE_CATALOG: LicenseCatalog;
