/** Tenants, events and alert queries the in-process e2e tests share. */
import type { CoreClient } from '@allot/grpc-client';
import { EntitlementKind, Operation, type Alert, type AlertKind, type RecordConsumptionRequest } from '@allot/contracts';

export interface EventSpec {
  readonly tenantId: string;
  readonly idempotencyKey: string;
  readonly credits: number;
  readonly occurredAt: Date;
  /** @defaultValue 'prod' */
  readonly environmentId?: string;
  /** @defaultValue 'u1' */
  readonly userId?: string;
  /** @defaultValue OPERATION_RUN */
  readonly operation?: Operation;
}

/** A RecordConsumptionRequest in credits (no capability). */
export function creditEvent(spec: EventSpec): RecordConsumptionRequest {
  return {
    tenantId: spec.tenantId,
    environmentId: spec.environmentId ?? 'prod',
    userId: spec.userId ?? 'u1',
    idempotencyKey: spec.idempotencyKey,
    occurredAt: spec.occurredAt,
    operation: spec.operation ?? Operation.OPERATION_RUN,
    credits: spec.credits,
    capability: '',
    quantity: 0,
    sourceId: '',
  };
}

export interface FundedTenantOptions {
  /** @defaultValue 'Europe/Paris' */
  readonly timeZone?: string;
  /** Environment id and display name, in creation order. @defaultValue [['prod', 'Production']] */
  readonly environments?: ReadonlyArray<readonly [string, string]>;
}

/** A tenant with one capacity add-on, its environments, and `allocation` credits allocated to prod when > 0. */
export async function tenantWith(admin: CoreClient, tenantId: string, allocation: number, options: FundedTenantOptions = {}): Promise<void> {
  await admin.admin.createTenant({ tenantId, displayName: tenantId, timeZone: options.timeZone ?? 'Europe/Paris' });
  await admin.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
  for (const [environmentId, displayName] of options.environments ?? [['prod', 'Production']]) {
    await admin.admin.createEnvironment({ tenantId, environmentId, displayName, tenantPoolFallback: false });
  }
  if (allocation > 0) await admin.admin.setAllocation({ tenantId, environmentId: 'prod', credits: allocation });
}

/** The tenant's alerts of one kind, oldest first. */
export async function alertsOf(admin: CoreClient, tenantId: string, kind: AlertKind): Promise<Alert[]> {
  return (await admin.alerts.listAlerts({ tenantId, afterCursor: 0, limit: 1000 })).alerts.filter((a) => a.kind === kind);
}
