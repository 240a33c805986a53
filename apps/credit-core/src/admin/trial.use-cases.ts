import { DEFAULT_LICENSE_CATALOG, capacityOf, extendTrial, startTrial, type TrialState } from '@allot/domain';
import { licensingModelOf } from '../tenants/licensing-config';
import type { Trial } from '@allot/contracts';
import type { CoreServices } from '../core-services';
import { unwrap } from '../shared/core-error';
import { requireId } from '../shared/validate';
import { trialToWire } from '../shared/wire';
import type { TenantContext } from '../tenants/tenant-context';
import { trialToDoc } from '../storage/mappers';

async function storeTrial(s: CoreServices, ctx: TenantContext, trial: TrialState): Promise<Trial> {
  const doc = trialToDoc(ctx.tenantId, trial, ctx.seq);
  await s.c.trials.replaceOne({ _id: doc._id }, doc, { upsert: true });
  // The map is shared by every period state, so the draw order sees the new term at once.
  const existing = ctx.config.trials.get(trial.userId);
  if (existing === undefined) ctx.config.trials.set(trial.userId, { ...trial });
  else Object.assign(existing, trial);
  await ctx.configChanged();
  return trialToWire(ctx.tenantId, trial, ctx.now());
}

/** Starts a 30-day, 200,000-credit trial; only for a tenant without paid capacity this period. */
export async function startUserTrial(s: CoreServices, tenantIdRaw: string, userIdRaw: string): Promise<Trial> {
  const tenantId = requireId(tenantIdRaw, 'tenant_id');
  const userId = requireId(userIdRaw, 'user_id');
  return s.tenants.get(tenantId).exclusive(async (ctx) => {
    const now = ctx.now();
    const trial = unwrap(
      startTrial({
        userId,
        nowMs: now,
        hasPaidCapacity: capacityOf(ctx.config.entitlements, ctx.currentPeriod(now), DEFAULT_LICENSE_CATALOG) > 0,
        allowUnassigned: ctx.config.tenant.allowUnassigned,
        existing: ctx.config.trials.get(userId),
        // DUAL: no trial can be started (docs/licensing.md, Trials).
        licensingModel: licensingModelOf(ctx.config.tenant),
      }),
    );
    s.logger.info('trial started', { tenant: tenantId, user: userId, extensions: trial.extensions });
    return storeTrial(s, ctx, trial);
  });
}

/** Extends an expired (or exhausted) trial, at most twice per user. */
export async function extendUserTrial(s: CoreServices, tenantIdRaw: string, userIdRaw: string): Promise<Trial> {
  const tenantId = requireId(tenantIdRaw, 'tenant_id');
  const userId = requireId(userIdRaw, 'user_id');
  return s.tenants.get(tenantId).exclusive(async (ctx) => {
    const trial = unwrap(extendTrial(ctx.config.trials.get(userId), ctx.now(), licensingModelOf(ctx.config.tenant)));
    s.logger.info('trial extended', { tenant: tenantId, user: userId, extensions: trial.extensions });
    return storeTrial(s, ctx, trial);
  });
}
