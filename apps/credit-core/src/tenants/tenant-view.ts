import type { TenantPeriodState } from '@allot/domain';
import type { CoreServices } from '../core-services';
import type { RollupDoc } from '../storage/collections';
import type { TenantConfig } from './tenant-types';

/**
 * Runs a read against a period's live state and rollups: straight from memory when loaded (CheckAccess,
 * GetBalance, reports need no database round trip), otherwise once through the tenant's queue to load it.
 * period null: the current one. The rollups are live documents: read them inside `read`, do not keep them.
 */
export async function readTenantState<T>(
  s: CoreServices,
  tenantId: string,
  period: string | null,
  read: (config: TenantConfig, state: TenantPeriodState, nowMs: number, rollups: Iterable<RollupDoc>) => T,
): Promise<T> {
  const actor = s.tenants.get(tenantId);
  const now = s.clock.now();
  const fast = actor.viewAt(now, period ?? undefined);
  // Reservations past their time to live release themselves (docs/licensing.md): no read counts them.
  if (fast !== null) {
    fast.state.expireHolds(now);
    return read(fast.config, fast.state, now, fast.rollups);
  }
  return actor.exclusive(async (ctx) => {
    const state = await ctx.periodState(period ?? ctx.currentPeriod(now));
    state.expireHolds(now);
    return read(ctx.config, state, now, await ctx.rollups(state.period));
  });
}
