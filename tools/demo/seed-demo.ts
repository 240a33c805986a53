/**
 * `npm run demo`: two demo tenants to explore with the chat bot or grpcurl, seeded through the gRPC API:
 *   - "contoso" (CLASSIC, Europe/Paris; seed-classic.ts): AI Builder credits only, this month's usage leaving Sales
 *     Production in WARNING and HR Test BLOCKED;
 *   - "fabrikam" (DUAL, America/New_York; seed-dual.ts): AI Builder credits, Copilot Credit packs and pay-as-you-go,
 *     an environment that used up its AI Builder credits and goes on in Copilot Credits, one on pay-as-you-go
 *     outside the tenant's Copilot pool, a capped app, and free MAKER/TEST work.
 * Safe to run twice: a tenant that already has usage this month is left as it is.
 */
import type { CoreClient } from '@allot/grpc-client';
import { connect, say } from './demo-client';
import { seedClassic } from './seed-classic';
import { seedDual } from './seed-dual';

const core = connect();
if (core === undefined) {
  process.stderr.write('demo: CREDIT_CORE_ADMIN_KEY is required (npm start prints it and keeps it for this command)\n');
  process.exit(2);
}

async function main(core: CoreClient): Promise<void> {
  const classic = await seedClassic(core);
  const dual = await seedDual(core);
  if (!classic || !dual) {
    process.exitCode = 1;
    return;
  }
  say('try: npm run chat, then "balance", "status", "top users", "when will sales prod run out?"');
  say('     and for fabrikam\'s Copilot Credits: AdminService/GetCapacity, ReportingService/GetBalance, ConsumptionService/CheckAccess with grpcurl');
}

main(core)
  .catch((e: Error) => {
    process.stderr.write(`demo: ${e.message}\n`);
    process.exitCode = 1;
  })
  .finally(() => core.close());
