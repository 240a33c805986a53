import { randomBytes } from 'node:crypto';
import { EntitlementKind, type CapacitySummary, type Entitlement } from '@allot/contracts';
import type { CoreClient } from '@allot/grpc-client';

/** One paid entitlement of a story tenant. */
export type EntitlementSpec =
  | { readonly addOnUnits: number; readonly firstPeriod?: string; readonly lastPeriod?: string }
  | { readonly sku: string; readonly seats: number; readonly firstPeriod?: string; readonly lastPeriod?: string };

/** An environment of a story tenant; allocation 0 or absent means it shares the unassigned pool. */
export interface EnvironmentSpec {
  readonly id: string;
  readonly displayName?: string;
  readonly allocation?: number;
  readonly tenantPoolFallback?: boolean;
}

export interface TenantSpec {
  /** Readable part of the id; a random suffix keeps tenants of different runs apart. */
  readonly name: string;
  /** IANA zone; empty means UTC. */
  readonly timeZone?: string;
  readonly entitlements?: readonly EntitlementSpec[];
  readonly environments?: readonly EnvironmentSpec[];
}

export interface BuiltTenant {
  readonly tenantId: string;
  readonly entitlements: readonly Entitlement[];
  /** Capacity summary after the last allocation (undefined when no allocation was set). */
  readonly lastSummary: CapacitySummary | undefined;
}

/** A tenant id unique to this run. */
export function uniqueTenantId(name: string): string {
  return `${name}-${randomBytes(4).toString('hex')}`;
}

/**
 * Creates a tenant through the public AdminService only (CreateTenant, AddEntitlement, CreateEnvironment,
 * SetAllocation), in that order, so a story starts from a state any admin could have built.
 */
export async function buildTenant(admin: CoreClient, spec: TenantSpec): Promise<BuiltTenant> {
  const tenantId = uniqueTenantId(spec.name);
  await admin.admin.createTenant({ tenantId, displayName: `Story ${spec.name}`, timeZone: spec.timeZone ?? '' });
  const entitlements: Entitlement[] = [];
  for (const e of spec.entitlements ?? []) {
    const res = await admin.admin.addEntitlement(
      'addOnUnits' in e
        ? {
            tenantId,
            kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON,
            sku: '',
            quantity: e.addOnUnits,
            firstPeriod: e.firstPeriod ?? '',
            lastPeriod: e.lastPeriod ?? '',
          }
        : {
            tenantId,
            kind: EntitlementKind.ENTITLEMENT_KIND_LICENSE,
            sku: e.sku,
            quantity: e.seats,
            firstPeriod: e.firstPeriod ?? '',
            lastPeriod: e.lastPeriod ?? '',
          },
    );
    if (res.entitlement) entitlements.push(res.entitlement);
  }
  let lastSummary: CapacitySummary | undefined;
  for (const env of spec.environments ?? []) {
    await admin.admin.createEnvironment({
      tenantId,
      environmentId: env.id,
      displayName: env.displayName ?? env.id,
      tenantPoolFallback: env.tenantPoolFallback ?? false,
    });
    if (env.allocation) {
      lastSummary = (await admin.admin.setAllocation({ tenantId, environmentId: env.id, credits: env.allocation })).summary;
    }
  }
  return { tenantId, entitlements, lastSummary };
}

/** Adds one capacity add-on (units x 1,000,000 credits a month) from the current period on. */
export async function addAddOn(admin: CoreClient, tenantId: string, units: number): Promise<void> {
  await admin.admin.addEntitlement({
    tenantId,
    kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON,
    sku: '',
    quantity: units,
    firstPeriod: '',
    lastPeriod: '',
  });
}
