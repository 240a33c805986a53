import { formatAmount, validateSourceLimit } from '@allot/domain';
import type { SetSourceLimitRequest, SourceLimit as WireSourceLimit } from '@allot/contracts';
import type { CoreServices } from '../core-services';
import type { EnvironmentDoc } from '../storage/collections';
import { unwrap } from '../shared/core-error';
import { requireId, requireText } from '../shared/validate';
import { currencyFromWire, currencyToWire } from '../shared/wire';
import { environmentOf } from './environment.use-cases';

/**
 * Caps one source (app or flow) per period in an environment (docs/licensing.md, Source limits); 0 removes it.
 * Applied at once to the loaded periods, like an allocation.
 */
export async function setSourceLimit(s: CoreServices, req: SetSourceLimitRequest): Promise<WireSourceLimit[]> {
  const tenantId = requireId(req.tenantId, 'tenant_id');
  const environmentId = requireId(req.environmentId, 'environment_id');
  const source = requireText(req.source, 'source', 256);
  const currency = currencyFromWire(req.currency, 'currency');
  const limit = unwrap(validateSourceLimit(source, req.credits, currency));
  return s.tenants.get(tenantId).exclusive(async (ctx) => {
    const env = environmentOf(ctx, environmentId);
    const others = (env.sourceLimits ?? []).filter((l) => l.source !== source);
    const sourceLimits = limit === null ? others : [...others, { source, currency: limit.currency, credits: limit.credits }];
    await s.c.environments.updateOne({ _id: env._id }, { $set: { sourceLimits } });
    const updated: EnvironmentDoc = { ...env, sourceLimits };
    ctx.config.envs.set(environmentId, updated);
    await ctx.configChanged();
    s.logger.info('source limit set', { tenant: tenantId, environment: environmentId, source, credits: req.credits, currency });
    const state = await ctx.periodState(ctx.currentPeriod());
    return sourceLimits.map((l) => ({
      environmentId,
      source: l.source,
      credits: l.credits,
      currency: currencyToWire(l.currency),
      consumed: formatAmount(l.currency, state.sourceConsumed(environmentId, l.source, l.currency)),
    }));
  });
}
