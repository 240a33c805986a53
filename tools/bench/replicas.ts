/**
 * Three core replicas on one database (the core-at-scale issue): ghz sends batches for one tenant to every
 * replica at once; then every replica is asked for the tenant's balance and the ledger is read. Whatever happens
 * (disagreeing balances, errors) is reported as it is.
 */
import type { Db } from 'mongodb';
import { createCoreClient } from '@allot/grpc-client';
import { startCoreProcess, type CoreProcess } from '@allot/testing';
import { ledgerTotals, projectedCredits } from './exactness';
import { runGhz, type GhzContext } from './ghz';
import type { Measurement, ReplicaRun } from './results';
import { BATCH, createTenant, singleBatchCredits, singleTenantBatch } from './workload';

export async function runReplicas(
  ctx: GhzContext,
  mongodbUri: string,
  db: Db,
  opts: { replicas: number; durationS: number; concurrencyEach: number; run: string },
): Promise<ReplicaRun> {
  const adminKey = `bench-admin-${opts.run}`;
  const cores: CoreProcess[] = [];
  try {
    for (let i = 0; i < opts.replicas; i++) {
      cores.push(await startCoreProcess({ mongodbUri, env: { CREDIT_CORE_ADMIN_KEY: adminKey } }));
    }
    const tenantId = `rep-${opts.run}`;
    const first = createCoreClient({ address: cores[0]?.address ?? '', apiKey: adminKey });
    try {
      await createTenant(first, tenantId, 1);
    } finally {
      first.close();
    }
    const measurements: Measurement[] = await Promise.all(
      cores.map((core, i) =>
        runGhz(ctx, {
          name: `replica ${i + 1}: RecordConsumptionBatch 1,000/call, 1 tenant`,
          call: 'credits.v1.ConsumptionService.RecordConsumptionBatch',
          address: core.address,
          apiKey: adminKey,
          data: singleTenantBatch(tenantId, `r${i}`),
          concurrency: opts.concurrencyEach,
          durationS: opts.durationS,
          eventsPerCall: BATCH,
        }),
      ),
    );
    const seconds = Math.max(...measurements.map((m) => m.seconds));
    const okCalls = measurements.reduce((n, m) => n + m.calls, 0);
    const failed = measurements.reduce((n, m) => n + m.errors, 0);
    const consumedByReplica: Array<number | string> = [];
    for (const core of cores) {
      const client = createCoreClient({ address: core.address, apiKey: adminKey });
      try {
        consumedByReplica.push(await projectedCredits(client, tenantId));
      } catch (e) {
        consumedByReplica.push(`error: ${(e as Error).message.slice(0, 80)}`);
      } finally {
        client.close();
      }
    }
    const ledger = await ledgerTotals(db, tenantId);
    const expectedCredits = okCalls * singleBatchCredits();
    const exact =
      failed === 0 && ledger.events === okCalls * BATCH && ledger.credits === expectedCredits && consumedByReplica.every((c) => c === expectedCredits);
    const notes: string[] = [];
    if (failed > 0) notes.push(`${failed} calls failed (${measurements.find((m) => m.firstError)?.firstError ?? ''})`);
    if (new Set(consumedByReplica).size > 1) notes.push('the replicas disagree about the balance');
    return {
      replicas: opts.replicas,
      measurements,
      eventsPerSecond: (okCalls * BATCH) / seconds,
      consumedByReplica,
      ledgerCredits: ledger.credits,
      ledgerEvents: ledger.events,
      expectedCredits,
      exact,
      note: notes.join('; '),
    };
  } finally {
    await Promise.all(cores.map((c) => c.stop().catch(() => undefined)));
  }
}
