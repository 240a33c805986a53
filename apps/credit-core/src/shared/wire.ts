/** Mapping between domain values and the generated wire types (enums are numbers on the wire). */
import {
  AlertKind,
  DenialReason as WireDenialReason,
  DrawSource as WireDrawSource,
  EntitlementKind as WireEntitlementKind,
  Operation as WireOperation,
  Role as WireRole,
  Stage as WireStage,
  TrialStatus as WireTrialStatus,
  type Alert,
  type CapacitySummary as WireCapacitySummary,
  type Draw as WireDraw,
  type Entitlement,
  type Environment,
  type Tenant,
  type Trial,
} from '@allot/contracts';
import {
  domainError,
  trialRemaining,
  trialStatusAt,
  type CapacitySummary,
  type DenialReason,
  type Draw,
  type Operation,
  type Stage,
  type TrialState,
} from '@allot/domain';
import type { AlertDoc, EntitlementDoc, EnvironmentDoc, TenantDoc } from '../storage/collections';
import type { KeyRole } from '../auth/caller';
import { CoreError } from './core-error';

const invalidEnum = (field: string, value: number, allowed: string): CoreError =>
  new CoreError(
    domainError('INVALID_ARGUMENT', 'REQUEST.INVALID_ENUM', `${field} must be one of ${allowed}, got ${value}`, field),
  );

export const stageToWire = (s: Stage | null): WireStage => (s === null ? WireStage.STAGE_UNSPECIFIED : WireStage[`STAGE_${s}`]);

export const reasonToWire = (r: DenialReason | null): WireDenialReason =>
  r === null ? WireDenialReason.DENIAL_REASON_UNSPECIFIED : WireDenialReason[`DENIAL_REASON_${r}`];

export function operationFromWire(op: WireOperation, field: string): Operation {
  switch (op) {
    case WireOperation.OPERATION_RUN:
      return 'RUN';
    case WireOperation.OPERATION_TEST:
      return 'TEST';
    case WireOperation.OPERATION_TRAIN:
      return 'TRAIN';
    case WireOperation.OPERATION_MAKER:
      return 'MAKER';
    default:
      throw invalidEnum(field, op, 'OPERATION_RUN, OPERATION_TEST, OPERATION_TRAIN, OPERATION_MAKER');
  }
}

export function roleFromWire(role: WireRole): KeyRole {
  switch (role) {
    case WireRole.ROLE_ADMIN:
      return 'ADMIN';
    case WireRole.ROLE_INGEST:
      return 'INGEST';
    case WireRole.ROLE_READER:
      return 'READER';
    default:
      throw invalidEnum('role', role, 'ROLE_ADMIN, ROLE_INGEST, ROLE_READER');
  }
}

export function entitlementKindFromWire(kind: WireEntitlementKind): 'CAPACITY_ADDON' | 'LICENSE' {
  switch (kind) {
    case WireEntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON:
      return 'CAPACITY_ADDON';
    case WireEntitlementKind.ENTITLEMENT_KIND_LICENSE:
      return 'LICENSE';
    default:
      throw invalidEnum('kind', kind, 'ENTITLEMENT_KIND_CAPACITY_ADDON, ENTITLEMENT_KIND_LICENSE');
  }
}

export const drawsToWire = (draws: readonly Draw[]): WireDraw[] =>
  draws.map((d) => ({ source: WireDrawSource[`DRAW_SOURCE_${d.source}`], credits: d.credits }));

export const tenantToWire = (t: TenantDoc): Tenant => ({
  tenantId: t.tenantId,
  displayName: t.displayName,
  timeZone: t.timeZone,
  allowUnassigned: t.allowUnassigned,
  thresholds: t.thresholds,
  createdAt: t.createdAt,
});

export const environmentToWire = (e: EnvironmentDoc): Environment => ({
  tenantId: e.tenantId,
  environmentId: e.environmentId,
  displayName: e.displayName,
  tenantPoolFallback: e.tenantPoolFallback,
  allocation: e.allocation,
});

export const entitlementToWire = (e: EntitlementDoc): Entitlement => ({
  entitlementId: e._id,
  tenantId: e.tenantId,
  kind:
    e.kind === 'LICENSE' ? WireEntitlementKind.ENTITLEMENT_KIND_LICENSE : WireEntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON,
  sku: e.sku,
  quantity: e.quantity,
  monthlyCredits: e.monthlyCredits,
  firstPeriod: e.firstPeriod,
  lastPeriod: e.lastPeriod ?? '',
  createdAt: e.createdAt,
});

export const summaryToWire = (period: string, s: CapacitySummary): WireCapacitySummary => ({
  period,
  capacity: s.capacity,
  allocated: s.allocated,
  unassigned: s.unassigned,
  overAllocated: s.overAllocated,
  overAllocatedBy: s.overAllocatedBy,
});

export const trialToWire = (tenantId: string, t: TrialState, nowMs: number): Trial => ({
  tenantId,
  userId: t.userId,
  credits: t.credits,
  consumed: t.consumed,
  remaining: trialRemaining(t, nowMs),
  startedAt: new Date(t.startedAtMs),
  expiresAt: new Date(t.expiresAtMs),
  extensions: t.extensions,
  status: WireTrialStatus[`TRIAL_STATUS_${trialStatusAt(t, nowMs)}`],
});

export const alertToWire = (a: AlertDoc): Alert => ({
  cursor: a.cursor,
  alertId: `alert-${a.cursor}`,
  tenantId: a.tenantId,
  kind: AlertKind[`ALERT_KIND_${a.kind}` as keyof typeof AlertKind] ?? AlertKind.ALERT_KIND_UNSPECIFIED,
  cause: a.cause,
  environmentId: a.environmentId,
  userId: a.userId,
  period: a.period,
  stage: stageToWire(a.stage),
  previousStage: stageToWire(a.previousStage),
  consumed: a.consumed,
  available: a.available,
  title: a.title,
  message: a.message,
  createdAt: a.createdAt,
  byEnvironment: a.byEnvironment,
  topUsers: a.topUsers,
  totalOverage: a.totalOverage,
  environmentDisplayName: a.environmentDisplayName,
  expiresAt: a.expiresAt ?? undefined,
});
