/**
 * `npm run demo`: a demo tenant to explore with the chat bot or grpcurl. Tenant "contoso" (Europe/Paris): a
 * capacity add-on and 20 Power Apps Premium seats, four environments (two with allocations), and this month's
 * consumption by four users, leaving Sales Production in WARNING and HR Test BLOCKED. Safe to run twice: a tenant
 * that already has usage this month is left as it is.
 */
import { createCoreClient, CoreCallError } from '@allot/grpc-client';
import { EntitlementKind, Operation } from '@allot/contracts';
import { devAdminKey } from '@allot/local-services';

const ALREADY_EXISTS = 6;
// The admin key: CREDIT_CORE_ADMIN_KEY, or the one `npm start` generated on this machine.
const key = process.env['CREDIT_CORE_ADMIN_KEY'] || devAdminKey({ create: false });
const address = process.env['CREDIT_CORE_ADDR'] ?? '127.0.0.1:50051';
if (!key) {
  process.stderr.write('demo: CREDIT_CORE_ADMIN_KEY is required (npm start prints it and keeps it for this command)\n');
  process.exit(2);
}
const core = createCoreClient({ address, apiKey: key });
const tenantId = 'contoso';

/** Runs a create call; an existing object (second run) is fine. */
async function ensure(what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
    process.stdout.write(`created ${what}\n`);
  } catch (e) {
    if (e instanceof CoreCallError && e.code === ALREADY_EXISTS) return;
    throw e;
  }
}

async function main(): Promise<void> {
  await ensure('tenant contoso', () => core.admin.createTenant({ tenantId, displayName: 'Contoso', timeZone: 'Europe/Paris' }));
  const existing = await core.admin.listEntitlements({ tenantId });
  if (existing.entitlements.length === 0) {
    await core.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
    await core.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_LICENSE, sku: 'POWER_APPS_PREMIUM', quantity: 20, firstPeriod: '', lastPeriod: '' });
    process.stdout.write('added a capacity add-on and 20 POWER_APPS_PREMIUM seats\n');
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
  // This month's usage, spread from the start of the month (Paris) up to now.
  const balance = await core.reporting.getBalance({ tenantId, environmentId: '', userId: '', period: '' });
  const [year, month] = balance.period.split('-').map(Number) as [number, number];
  const start = Date.UTC(year, month - 1, 1, 6);
  const span = Math.max(1, Date.now() - 60_000 - start);
  if (balance.consumed > 0) {
    process.stdout.write(`contoso already has ${balance.consumed} credits of usage in ${balance.period}; nothing recorded\n`);
    process.stdout.write(`demo tenant ${tenantId} is ready\n`);
    return;
  }
  // In time order: the sales events come last, so the 7-day forecast has something to project.
  const plan: Array<[string, string, number, number]> = [
    ['hr-test', 'lee@contoso.com', 6_400, 2],
    ['dev', 'diego@contoso.com', 2_000, 2],
    ['shared', 'megan@contoso.com', 25_000, 1],
    ['sales-prod', 'megan@contoso.com', 150_000, 1],
    ['sales-prod', 'adele@contoso.com', 150_000, 1],
    ['sales-prod', 'megan@contoso.com', 30_000, 1],
  ];
  let n = 0;
  const events = plan.flatMap(([environmentId, userId, credits, times]) =>
    Array.from({ length: times }, () => {
      n += 1;
      return {
        tenantId,
        environmentId,
        userId,
        idempotencyKey: `demo-${balance.period}-${n}`,
        occurredAt: new Date(start + Math.floor((span * n) / 8)),
        operation: Operation.OPERATION_RUN,
        credits,
        capability: '',
        quantity: 0,
        sourceId: 'demo',
      };
    }),
  );
  const result = await core.consumption.recordConsumptionBatch({ events });
  const duplicates = result.results.filter((r) => r.result?.duplicate).length;
  const errors = result.results.filter((r) => r.error).map((r) => r.error?.message);
  process.stdout.write(`recorded ${events.length - duplicates - errors.length} events (${duplicates} already there)\n`);
  for (const e of errors) process.stdout.write(`refused: ${e}\n`);
  if (errors.length > 0) {
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`demo tenant ${tenantId} is ready\n`);
  process.stdout.write('try: npm run chat, then "balance", "status", "top users", "when will sales prod run out?"\n');
}

main()
  .catch((e: Error) => {
    process.stderr.write(`demo: ${e.message}\n`);
    process.exitCode = 1;
  })
  .finally(() => core.close());
