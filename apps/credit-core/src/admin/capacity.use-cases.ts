import { randomUUID } from 'node:crypto';
import {
  DEFAULT_LICENSE_CATALOG,
  checkAllocationChange,
  copilotCapacityOf,
  copilotPaygActive,
  comparePeriods,
  domainError,
  summarizeCapacity,
  validateEntitlement,
  type CapacitySummary,
} from '@allot/domain';
import { LicensingModel as WireLicensingModel, type CopilotCapacity } from '@allot/contracts';
import type {
  AddEntitlementRequest,
  AddEntitlementResponse,
  EndEntitlementRequest,
  EndEntitlementResponse,
  Entitlement,
  GetCapacityResponse,
  SetAllocationRequest,
  SetAllocationResponse,
} from '@allot/contracts';
import type { CoreServices } from '../core-services';
import type { EntitlementDoc } from '../storage/collections';
import { CoreError, unwrap } from '../shared/core-error';
import { optionalPeriod, requireId, requirePeriod } from '../shared/validate';
import { currencyFromWire, entitlementKindFromWire, entitlementToWire, environmentToWire, summaryToWire } from '../shared/wire';
import { aiBuilderCapacityFor, licensingModelOf } from '../tenants/licensing-config';
import type { TenantContext } from '../tenants/tenant-context';
import { environmentOf } from './environment.use-cases';

/** Capacity and allocations of a period (allocations recur every month until changed). */
export function capacitySummaryOf(ctx: TenantContext, period: string): CapacitySummary {
  // Under DUAL, seeded license credits end after 2026-10 (docs/licensing.md).
  const capacity = aiBuilderCapacityFor(ctx.config, period);
  const allocations = new Map([...ctx.config.envs.values()].map((e) => [e.environmentId, e.allocation]));
  return summarizeCapacity(capacity, allocations);
}

/** DUAL: Copilot Credit packs and allocations of a period (whole Copilot Credits). */
export function copilotSummaryOf(ctx: TenantContext, period: string): CapacitySummary {
  const capacity = copilotCapacityOf(licensingModelOf(ctx.config.tenant), ctx.config.entitlements, period);
  const allocations = new Map([...ctx.config.envs.values()].map((e) => [e.environmentId, e.copilotAllocation ?? 0]));
  return summarizeCapacity(capacity, allocations);
}

/** The Copilot side of GetCapacity (undefined for CLASSIC tenants, whose answers stay as in v1). */
export function copilotCapacityToWire(ctx: TenantContext, period: string): CopilotCapacity | undefined {
  const model = licensingModelOf(ctx.config.tenant);
  if (model !== 'DUAL') return undefined;
  const c = copilotSummaryOf(ctx, period);
  return {
    capacity: c.capacity,
    allocated: c.allocated,
    unassigned: c.unassigned,
    overAllocated: c.overAllocated,
    overAllocatedBy: c.overAllocatedBy,
    paygActive: copilotPaygActive(model, ctx.config.entitlements, period),
  };
}

/** Over-allocation (capacity dropped below the allocations): alert once per period. */
export async function raiseOverAllocationAlert(s: CoreServices, ctx: TenantContext, period: string): Promise<void> {
  const summary = capacitySummaryOf(ctx, period);
  if (!summary.overAllocated) return;
  await s.outbox.raise(
    {
      tenantId: ctx.tenantId,
      kind: 'OVER_ALLOCATED',
      cause: `over-allocated:${period}`,
      period,
      consumed: summary.allocated,
      available: summary.capacity,
      title: `${ctx.config.tenant.displayName} is over-allocated in ${period}`,
      message:
        `allocations total ${summary.allocated} credits but capacity is ${summary.capacity} ` +
        `(over by ${summary.overAllocatedBy}); lower allocations to fix it`,
    },
    new Date(ctx.now()),
  );
}

export async function addEntitlement(s: CoreServices, req: AddEntitlementRequest): Promise<AddEntitlementResponse> {
  const tenantId = requireId(req.tenantId, 'tenant_id');
  const kind = entitlementKindFromWire(req.kind);
  if (req.firstPeriod !== '') requirePeriod(req.firstPeriod, 'first_period');
  const lastPeriod = optionalPeriod(req.lastPeriod, 'last_period');
  return s.tenants.get(tenantId).exclusive(async (ctx) => {
    const current = ctx.currentPeriod();
    const firstPeriod = req.firstPeriod === '' ? current : req.firstPeriod;
    const terms = { kind, sku: req.sku, quantity: req.quantity, firstPeriod, lastPeriod };
    const { monthlyCredits } = unwrap(validateEntitlement(terms, DEFAULT_LICENSE_CATALOG));
    // Every sum of credits stays a whole number JavaScript and MongoDB hold exactly (2^53-1).
    const total = ctx.config.entitlements.reduce((sum, e) => sum + e.monthlyCredits, monthlyCredits);
    if (!Number.isSafeInteger(monthlyCredits) || !Number.isSafeInteger(total)) {
      throw new CoreError(
        domainError('INVALID_ARGUMENT', 'ENTITLEMENT.TOO_LARGE', `quantity ${req.quantity} would bring the tenant's monthly credits beyond 2^53-1 (9007199254740991)`, 'quantity'),
      );
    }
    const doc: EntitlementDoc = { _id: randomUUID(), tenantId, ...terms, monthlyCredits, createdAt: new Date(ctx.now()) };
    await s.c.entitlements.insertOne(doc);
    ctx.config.entitlements = [...ctx.config.entitlements, doc];
    await ctx.configChanged();
    await raiseOverAllocationAlert(s, ctx, current);
    s.logger.info('entitlement added', { tenant: tenantId, kind, sku: req.sku, quantity: req.quantity, monthlyCredits });
    return {
      entitlement: entitlementToWire(doc),
      summary: { ...summaryToWire(current, capacitySummaryOf(ctx, current)), copilot: copilotCapacityToWire(ctx, current) },
    };
  });
}

export async function endEntitlement(s: CoreServices, req: EndEntitlementRequest): Promise<EndEntitlementResponse> {
  const tenantId = requireId(req.tenantId, 'tenant_id');
  const entitlementId = requireId(req.entitlementId, 'entitlement_id');
  const lastPeriod = requirePeriod(req.lastPeriod, 'last_period');
  return s.tenants.get(tenantId).exclusive(async (ctx) => {
    const existing = ctx.config.entitlements.find((e) => e._id === entitlementId);
    if (existing === undefined) {
      throw new CoreError(
        domainError('NOT_FOUND', 'ENTITLEMENT.NOT_FOUND', `entitlement ${entitlementId} does not exist in ${tenantId}`, 'entitlement_id'),
      );
    }
    if (comparePeriods(lastPeriod, existing.firstPeriod) < 0) {
      throw new CoreError(
        domainError(
          'INVALID_ARGUMENT',
          'ENTITLEMENT.PERIODS_REVERSED',
          `last_period ${lastPeriod} is before first_period ${existing.firstPeriod}`,
          'last_period',
        ),
      );
    }
    const updated = { ...existing, lastPeriod };
    await s.c.entitlements.updateOne({ _id: entitlementId }, { $set: { lastPeriod } });
    ctx.config.entitlements = ctx.config.entitlements.map((e) => (e._id === entitlementId ? updated : e));
    await ctx.configChanged();
    const current = ctx.currentPeriod();
    await raiseOverAllocationAlert(s, ctx, current);
    return { entitlement: entitlementToWire(updated), summary: summaryToWire(current, capacitySummaryOf(ctx, current)) };
  });
}

export async function listEntitlements(s: CoreServices, tenantIdRaw: string): Promise<Entitlement[]> {
  const tenantId = requireId(tenantIdRaw, 'tenant_id');
  return s.tenants.get(tenantId).exclusive(async (ctx) => ctx.config.entitlements.map(entitlementToWire));
}

/** Sets an environment's monthly allocation; refused above capacity with how much is free. */
export async function setAllocation(s: CoreServices, req: SetAllocationRequest): Promise<SetAllocationResponse> {
  const tenantId = requireId(req.tenantId, 'tenant_id');
  const environmentId = requireId(req.environmentId, 'environment_id');
  if (!Number.isSafeInteger(req.credits) || req.credits < 0) {
    throw new CoreError(
      domainError('INVALID_ARGUMENT', 'ALLOCATION.INVALID_CREDITS', `credits must be a whole number >= 0, got ${req.credits}`, 'credits'),
    );
  }
  const currency = currencyFromWire(req.currency, 'currency');
  if (currency === 'COPILOT') return setCopilotAllocation(s, tenantId, environmentId, req.credits);
  return s.tenants.get(tenantId).exclusive(async (ctx) => {
    const env = environmentOf(ctx, environmentId);
    const period = ctx.currentPeriod();
    const before = capacitySummaryOf(ctx, period);
    const allocations = new Map([...ctx.config.envs.values()].map((e) => [e.environmentId, e.allocation]));
    const after = unwrap(checkAllocationChange(before.capacity, allocations, environmentId, req.credits));
    await s.c.environments.updateOne({ _id: env._id }, { $set: { allocation: req.credits } });
    const updated = { ...env, allocation: req.credits };
    ctx.config.envs.set(environmentId, updated);
    await ctx.configChanged();
    s.logger.info('allocation set', { tenant: tenantId, environment: environmentId, credits: req.credits });
    return {
      summary: { ...summaryToWire(period, after), copilot: copilotCapacityToWire(ctx, period) },
      environment: environmentToWire(updated, licensingModelOf(ctx.config.tenant)),
    };
  });
}

/** SetAllocation(currency = COPILOT): whole Copilot Credits, refused above the packs' capacity with what is free. */
async function setCopilotAllocation(s: CoreServices, tenantId: string, environmentId: string, credits: number): Promise<SetAllocationResponse> {
  return s.tenants.get(tenantId).exclusive(async (ctx) => {
    const env = environmentOf(ctx, environmentId);
    const period = ctx.currentPeriod();
    const before = copilotSummaryOf(ctx, period);
    const allocations = new Map([...ctx.config.envs.values()].map((e) => [e.environmentId, e.copilotAllocation ?? 0]));
    const checked = checkAllocationChange(before.capacity, allocations, environmentId, credits);
    if (!checked.ok) throw new CoreError({ ...checked.error, message: `Copilot Credits: ${checked.error.message}` });
    await s.c.environments.updateOne({ _id: env._id }, { $set: { copilotAllocation: credits } });
    const updated = { ...env, copilotAllocation: credits };
    ctx.config.envs.set(environmentId, updated);
    await ctx.configChanged();
    s.logger.info('copilot allocation set', { tenant: tenantId, environment: environmentId, credits });
    return {
      summary: { ...summaryToWire(period, capacitySummaryOf(ctx, period)), copilot: copilotCapacityToWire(ctx, period) },
      environment: environmentToWire(updated, licensingModelOf(ctx.config.tenant)),
    };
  });
}

export async function getCapacity(s: CoreServices, tenantIdRaw: string, periodRaw: string): Promise<GetCapacityResponse> {
  const tenantId = requireId(tenantIdRaw, 'tenant_id');
  const requested = optionalPeriod(periodRaw, 'period');
  return s.tenants.get(tenantId).exclusive(async (ctx) => {
    const period = requested ?? ctx.currentPeriod();
    const summary = capacitySummaryOf(ctx, period);
    const dual = licensingModelOf(ctx.config.tenant) === 'DUAL';
    return {
      ...summaryToWire(period, summary),
      allocations: [...ctx.config.envs.values()]
        .filter((e) => e.allocation > 0 || (dual && (e.copilotAllocation ?? 0) > 0))
        .map((e) => ({
          environmentId: e.environmentId,
          displayName: e.displayName,
          credits: e.allocation,
          ...(dual ? { copilotCredits: e.copilotAllocation ?? 0 } : {}),
        })),
      copilot: copilotCapacityToWire(ctx, period),
      licensingModel: WireLicensingModel[`LICENSING_MODEL_${licensingModelOf(ctx.config.tenant)}`],
    };
  });
}
