import { domainError, parseCredits } from '@allot/domain';
import type { CreateEnvironmentRequest, Environment, UpdateEnvironmentSettingsRequest } from '@allot/contracts';
import type { CoreServices } from '../core-services';
import type { EnvironmentDoc } from '../storage/collections';
import { isDuplicateKeyError } from '../storage/collections';
import { CoreError, environmentNotFound, unwrap } from '../shared/core-error';
import { licensingModelOf } from '../tenants/licensing-config';
import { environmentIdOf } from '../storage/mappers';
import { requireId, requireText } from '../shared/validate';
import { environmentToWire } from '../shared/wire';
import type { TenantContext } from '../tenants/tenant-context';

export function environmentOf(ctx: TenantContext, environmentId: string): EnvironmentDoc {
  const env = ctx.config.envs.get(environmentId);
  if (env === undefined) throw environmentNotFound(ctx.tenantId, environmentId);
  return env;
}

export async function createEnvironment(s: CoreServices, req: CreateEnvironmentRequest): Promise<Environment> {
  const tenantId = requireId(req.tenantId, 'tenant_id');
  const environmentId = requireId(req.environmentId, 'environment_id');
  const displayName = requireText(req.displayName, 'display_name') || environmentId;
  return s.tenants.get(tenantId).exclusive(async (ctx) => {
    const doc: EnvironmentDoc = {
      _id: environmentIdOf(tenantId, environmentId),
      tenantId,
      environmentId,
      displayName,
      tenantPoolFallback: req.tenantPoolFallback,
      allocation: 0,
      createdAt: new Date(ctx.now()),
    };
    try {
      await s.c.environments.insertOne(doc);
    } catch (e) {
      if (isDuplicateKeyError(e)) {
        throw new CoreError(
          domainError('ALREADY_EXISTS', 'ENVIRONMENT.EXISTS', `environment ${environmentId} already exists in ${tenantId}`, 'environment_id'),
        );
      }
      throw e;
    }
    ctx.config.envs.set(environmentId, doc);
    await ctx.configChanged();
    return environmentToWire(doc);
  });
}

export async function updateEnvironmentSettings(s: CoreServices, req: UpdateEnvironmentSettingsRequest): Promise<Environment> {
  const tenantId = requireId(req.tenantId, 'tenant_id');
  const environmentId = requireId(req.environmentId, 'environment_id');
  const set: Partial<EnvironmentDoc> = {};
  if (req.tenantPoolFallback !== undefined) set.tenantPoolFallback = req.tenantPoolFallback;
  if (req.displayName !== undefined) set.displayName = requireText(req.displayName, 'display_name') || environmentId;
  // DUAL's Copilot settings (docs/licensing.md); stored under CLASSIC too, used once the tenant is DUAL.
  if (req.copilotDrawFromTenant !== undefined) set.copilotDrawFromTenant = req.copilotDrawFromTenant;
  if (req.copilotPayg !== undefined) set.copilotPayg = req.copilotPayg;
  if (req.copilotPaygBudget !== undefined) set.copilotPaygBudget = unwrap(parseCredits(req.copilotPaygBudget, 'copilot_payg_budget'));
  return s.tenants.get(tenantId).exclusive(async (ctx) => {
    const env = environmentOf(ctx, environmentId);
    await s.c.environments.updateOne({ _id: env._id }, { $set: set });
    const updated = { ...env, ...set };
    ctx.config.envs.set(environmentId, updated);
    await ctx.configChanged();
    return environmentToWire(updated, licensingModelOf(ctx.config.tenant));
  });
}

export async function listEnvironments(s: CoreServices, tenantIdRaw: string): Promise<Environment[]> {
  const tenantId = requireId(tenantIdRaw, 'tenant_id');
  return s.tenants.get(tenantId).exclusive(async (ctx) =>
    [...ctx.config.envs.values()]
      .sort((a, b) => a.environmentId.localeCompare(b.environmentId))
      .map((e) => environmentToWire(e, licensingModelOf(ctx.config.tenant))),
  );
}
