import { DEFAULT_STAGE_THRESHOLDS, domainError, validateThresholds } from '@allot/domain';
import type {
  CreateTenantRequest,
  Tenant,
  UpdateTenantSettingsRequest,
} from '@allot/contracts';
import type { CoreServices } from '../core-services';
import type { TenantDoc } from '../storage/collections';
import { ROLLUPS_VERSION, isDuplicateKeyError } from '../storage/collections';
import { CoreError, unwrap } from '../shared/core-error';
import { requireId, requireText, requireTimeZone } from '../shared/validate';
import { licensingModelFromWire, tenantToWire } from '../shared/wire';

/** Creates a tenant: IANA zone validated (empty: UTC), allow_unassigned true, default thresholds. */
export async function createTenant(s: CoreServices, req: CreateTenantRequest): Promise<Tenant> {
  const tenantId = requireId(req.tenantId, 'tenant_id');
  const displayName = requireText(req.displayName, 'display_name') || tenantId;
  const timeZone = req.timeZone === '' ? 'UTC' : requireTimeZone(req.timeZone, 'time_zone');
  const doc: TenantDoc = {
    _id: tenantId,
    tenantId,
    displayName,
    timeZone,
    allowUnassigned: true,
    thresholds: { ...DEFAULT_STAGE_THRESHOLDS },
    createdAt: new Date(s.clock.now()),
    projectedSeq: 0,
    // A new tenant has no ledger yet: its rollups are complete from the start.
    rollupsVersion: ROLLUPS_VERSION,
  };
  try {
    await s.c.tenants.insertOne(doc);
  } catch (e) {
    if (isDuplicateKeyError(e)) {
      throw new CoreError(domainError('ALREADY_EXISTS', 'TENANT.EXISTS', `tenant ${tenantId} already exists`, 'tenant_id'));
    }
    throw e;
  }
  s.logger.info('tenant created', { tenant: tenantId, timeZone });
  return tenantToWire(doc);
}

export async function getTenant(s: CoreServices, tenantId: string): Promise<Tenant> {
  const id = requireId(tenantId, 'tenant_id');
  const doc = await s.c.tenants.findOne({ _id: id });
  if (doc === null) throw new CoreError(domainError('NOT_FOUND', 'TENANT.NOT_FOUND', `tenant ${id} does not exist`, 'tenant_id'));
  return tenantToWire(doc);
}

/** All tenants, or only the caller's one for a tenant-scoped key. */
export async function listTenants(s: CoreServices, scope: string | null): Promise<Tenant[]> {
  const docs = await s.c.tenants.find(scope === null ? {} : { _id: scope }).sort({ _id: 1 }).toArray();
  return docs.map(tenantToWire);
}

/** Changes settings through the tenant's queue, so the next CheckAccess sees them (stages recomputed). */
export async function updateTenantSettings(s: CoreServices, req: UpdateTenantSettingsRequest): Promise<Tenant> {
  const tenantId = requireId(req.tenantId, 'tenant_id');
  const set: Partial<TenantDoc> = {};
  if (req.timeZone !== undefined) set.timeZone = requireTimeZone(req.timeZone, 'time_zone');
  if (req.allowUnassigned !== undefined) set.allowUnassigned = req.allowUnassigned;
  if (req.displayName !== undefined) set.displayName = requireText(req.displayName, 'display_name') || tenantId;
  if (req.thresholds !== undefined) {
    set.thresholds = { ...unwrap(validateThresholds(req.thresholds)) };
  }
  // docs/licensing.md: applies at once to every loaded period (stages recomputed by configChanged).
  const model = licensingModelFromWire(req.licensingModel, 'licensing_model');
  if (model !== null) set.licensingModel = model;
  return s.tenants.get(tenantId).exclusive(async (ctx) => {
    await s.c.tenants.updateOne({ _id: tenantId }, { $set: set });
    ctx.config.tenant = { ...ctx.config.tenant, ...set };
    await ctx.configChanged();
    s.logger.info('tenant settings changed', { tenant: tenantId, ...set });
    return tenantToWire(ctx.config.tenant);
  });
}
