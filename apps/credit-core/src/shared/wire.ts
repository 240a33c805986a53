/** Mapping between domain values and the generated wire types (enums are numbers on the wire). */
import {
  AlertKind,
  Currency as WireCurrency,
  LicensingModel as WireLicensingModel,
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
  type PeriodSummaryLine,
} from '@allot/contracts';
import {
  currencyOfSource,
  formatAmount,
  formatMillis,
  domainError,
  trialRemaining,
  trialStatusAt,
  type CapacitySummary,
  type Currency,
  type LicensingModel,
  type DenialReason,
  type Draw,
  type Operation,
  type Stage,
  type TrialState,
} from '@allot/domain';
import type { AlertDoc, EntitlementDoc, EnvironmentDoc, SummaryLine, TenantDoc } from '../storage/collections';
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

export const operationToWire = (op: Operation): WireOperation => WireOperation[`OPERATION_${op}`];

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

export function entitlementKindFromWire(kind: WireEntitlementKind): 'CAPACITY_ADDON' | 'LICENSE' | 'COPILOT_PACK' | 'COPILOT_PAYG' {
  switch (kind) {
    case WireEntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON:
      return 'CAPACITY_ADDON';
    case WireEntitlementKind.ENTITLEMENT_KIND_LICENSE:
      return 'LICENSE';
    case WireEntitlementKind.ENTITLEMENT_KIND_COPILOT_PACK:
      return 'COPILOT_PACK';
    case WireEntitlementKind.ENTITLEMENT_KIND_COPILOT_PAYG:
      return 'COPILOT_PAYG';
    default:
      throw invalidEnum(
        'kind',
        kind,
        'ENTITLEMENT_KIND_CAPACITY_ADDON, ENTITLEMENT_KIND_LICENSE, ENTITLEMENT_KIND_COPILOT_PACK, ENTITLEMENT_KIND_COPILOT_PAYG',
      );
  }
}

/** Unset or unspecified: AI Builder credits (the v1 meaning of every amount). */
export function currencyFromWire(c: WireCurrency | undefined, field: string): Currency {
  switch (c) {
    case undefined:
    case WireCurrency.CURRENCY_UNSPECIFIED:
    case WireCurrency.CURRENCY_AI_BUILDER:
      return 'AI_BUILDER';
    case WireCurrency.CURRENCY_COPILOT:
      return 'COPILOT';
    default:
      throw invalidEnum(field, c, 'CURRENCY_AI_BUILDER, CURRENCY_COPILOT');
  }
}

export const currencyToWire = (c: Currency): WireCurrency => WireCurrency[`CURRENCY_${c}`];

/** Unset or unspecified: null (unchanged). */
export function licensingModelFromWire(m: WireLicensingModel | undefined, field: string): LicensingModel | null {
  switch (m) {
    case undefined:
    case WireLicensingModel.LICENSING_MODEL_UNSPECIFIED:
      return null;
    case WireLicensingModel.LICENSING_MODEL_CLASSIC:
      return 'CLASSIC';
    case WireLicensingModel.LICENSING_MODEL_DUAL:
      return 'DUAL';
    default:
      throw invalidEnum(field, m, 'LICENSING_MODEL_CLASSIC, LICENSING_MODEL_DUAL');
  }
}

/**
 * Draws on the wire. Under DUAL every draw carries its currency and exact amount (a Copilot draw's `credits` is 0,
 * its amount the decimal); under CLASSIC they are exactly as in v1. Copilot overage is DRAW_SOURCE_OVERAGE in
 * CURRENCY_COPILOT.
 */
export const drawsToWire = (draws: readonly Draw[], dual = draws.some((d) => currencyOfSource(d.source) === 'COPILOT')): WireDraw[] =>
  draws.map((d) => {
    const currency = currencyOfSource(d.source);
    const source = d.source === 'COPILOT_OVERAGE' ? WireDrawSource.DRAW_SOURCE_OVERAGE : WireDrawSource[`DRAW_SOURCE_${d.source}`];
    if (!dual) return { source, credits: d.credits };
    return { source, credits: currency === 'COPILOT' ? 0 : d.credits, currency: currencyToWire(currency), amount: formatAmount(currency, d.credits) };
  });

export const tenantToWire = (t: TenantDoc): Tenant => ({
  tenantId: t.tenantId,
  displayName: t.displayName,
  timeZone: t.timeZone,
  allowUnassigned: t.allowUnassigned,
  thresholds: t.thresholds,
  createdAt: t.createdAt,
  licensingModel: WireLicensingModel[`LICENSING_MODEL_${t.licensingModel ?? 'CLASSIC'}`],
});

/** DUAL tenants' environments also carry their Copilot settings (CLASSIC ones look as in v1). */
export const environmentToWire = (e: EnvironmentDoc, model: LicensingModel = 'CLASSIC'): Environment => ({
  tenantId: e.tenantId,
  environmentId: e.environmentId,
  displayName: e.displayName,
  tenantPoolFallback: e.tenantPoolFallback,
  allocation: e.allocation,
  ...(model === 'DUAL'
    ? {
        copilotAllocation: e.copilotAllocation ?? 0,
        copilotDrawFromTenant: e.copilotDrawFromTenant ?? true,
        copilotPayg: e.copilotPayg ?? false,
        copilotPaygBudget: e.copilotPaygBudget ?? 0,
      }
    : {}),
});

export const entitlementToWire = (e: EntitlementDoc): Entitlement => ({
  entitlementId: e._id,
  tenantId: e.tenantId,
  kind: WireEntitlementKind[`ENTITLEMENT_KIND_${e.kind}`],
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
  copilot: undefined,
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
  byEnvironment: a.byEnvironment.map(summaryLineToWire),
  topUsers: a.topUsers.map(summaryLineToWire),
  totalOverage: a.totalOverage,
  environmentDisplayName: a.environmentDisplayName,
  expiresAt: a.expiresAt ?? undefined,
  // DUAL and source-limit alerts only: CLASSIC alerts stay as in v1.
  ...(a.copilot === undefined ? {} : { copilotConsumed: formatMillis(a.copilot.consumed), ...(a.copilot.available === null ? {} : { copilotAvailable: formatMillis(a.copilot.available) }) }),
  ...(a.totalCopilot === undefined ? {} : { totalCopilotCredits: formatMillis(a.totalCopilot.credits), totalCopilotOverage: formatMillis(a.totalCopilot.overage) }),
  source: a.source ?? '',
  ...(a.currency === undefined ? {} : { currency: currencyToWire(a.currency) }),
});

const summaryLineToWire = (l: SummaryLine): PeriodSummaryLine => ({
  key: l.key,
  label: l.label,
  credits: l.credits,
  overageCredits: l.overageCredits,
  ...(l.copilotCredits === undefined ? {} : { copilotCredits: formatMillis(l.copilotCredits) }),
});
