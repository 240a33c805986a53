import type { TenantPeriodState } from '@allot/domain';
import type { CoreServices } from '../core-services';
import type { TenantConfig } from './tenant-actor';

/**
 * Runs a read against a period's live state: straight from memory when loaded (CheckAccess, GetBalance need no
 * database round trip), otherwise once through the tenant's queue to load it. period null: the current one.
 */
export async function readTenantState<T>(
  s: CoreServices,
  tenantId: string,
  period: string | null,
  read: (config: TenantConfig, state: TenantPeriodState, nowMs: number) => T,
): Promise<T> {
  const actor = s.tenants.get(tenantId);
  const now = s.clock.now();
  const fast = actor.viewAt(now, period ?? undefined);
  if (fast !== null) return read(fast.config, fast.state, now);
  return actor.exclusive(async (ctx) => read(ctx.config, await ctx.periodState(period ?? ctx.currentPeriod(now)), now));
}
