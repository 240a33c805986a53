/**
 * The CLASSIC demo tenant "contoso" (Europe/Paris): a capacity add-on and 20 Power Apps Premium seats, four
 * environments (two with allocations), and this month's consumption by four users, leaving Sales Production in
 * WARNING and HR Test BLOCKED. A tenant that already has usage this month is left as it is.
 */
import type { CoreClient } from '@allot/grpc-client';
import { EntitlementKind, Operation } from '@allot/contracts';
import { ensure, recordAll, say, spreadOverPeriod } from './demo-client';

const tenantId = 'contoso';

/** Seeds contoso; false when the core refused some of its events. */
export async function seedClassic(core: CoreClient): Promise<boolean> {
  await ensure('tenant contoso', () => core.admin.createTenant({ tenantId, displayName: 'Contoso', timeZone: 'Europe/Paris' }));
  const balance = await core.reporting.getBalance({ tenantId, environmentId: '', userId: '', period: '' });
  if (balance.consumed > 0) {
    say(`contoso already has ${balance.consumed} credits of usage in ${balance.period}; nothing recorded`);
    say(`demo tenant ${tenantId} is ready`);
    return true;
  }
  const existing = await core.admin.listEntitlements({ tenantId });
  if (existing.entitlements.length === 0) {
    await core.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
    await core.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_LICENSE, sku: 'POWER_APPS_PREMIUM', quantity: 20, firstPeriod: '', lastPeriod: '' });
    say('added a capacity add-on and 20 POWER_APPS_PREMIUM seats');
  }
  const environments: Array<[string, string, number]> = [
    ['sales-prod', 'Sales Production', 400_000],
    ['hr-test', 'HR Test', 10_000],
    ['dev', 'Dev Sandbox', 0],
    ['shared', 'Shared Sandbox', 0],
  ];
  for (const [environmentId, displayName, credits] of environments) {
    await ensure(`environment ${environmentId}`, () =>
      core.admin.createEnvironment({ tenantId, environmentId, displayName, tenantPoolFallback: false }),
    );
    if (credits > 0) await core.admin.setAllocation({ tenantId, environmentId, credits });
  }
  // This month's usage, in time order from the start of the month (Paris) up to now: the sales events come last,
  // so the 7-day forecast has something to project.
  const plan: Array<[string, string, number, number]> = [
    ['hr-test', 'lee@contoso.com', 6_400, 2],
    ['dev', 'diego@contoso.com', 2_000, 2],
    ['shared', 'megan@contoso.com', 25_000, 1],
    ['sales-prod', 'megan@contoso.com', 150_000, 1],
    ['sales-prod', 'adele@contoso.com', 150_000, 1],
    ['sales-prod', 'megan@contoso.com', 30_000, 1],
  ];
  const rows = plan.flatMap(([environmentId, userId, credits, times]) => Array.from({ length: times }, () => ({ environmentId, userId, credits })));
  const times = spreadOverPeriod(balance.period, 6, rows.length);
  const events = rows.map((row, i) => ({
    tenantId,
    ...row,
    idempotencyKey: `demo-${balance.period}-${i + 1}`,
    occurredAt: times[i],
    operation: Operation.OPERATION_RUN,
    capability: '',
    quantity: 0,
    sourceId: 'demo',
  }));
  if ((await recordAll(core, events)) === undefined) return false;
  say(`demo tenant ${tenantId} is ready: Sales Production near its allocation (WARNING), HR Test past it (BLOCKED)`);
  return true;
}
