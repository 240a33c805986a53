/**
 * Faults under load. 100,000 events stream in at concurrency 64 (batches of 50), 10% of them sent a second time,
 * while the core is SIGKILLed three times, FerretDB is SIGKILLed and started again, and finally the core gets a
 * SIGTERM in the middle of the traffic. Clients retry failures with the same idempotency keys. Afterwards, and
 * after one more restart, the totals equal the unique events to the credit: nothing acknowledged was lost, nothing
 * was counted twice.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { UsageGroupBy, type RecordConsumptionRequest } from '@allot/contracts';
import { dropPostgresDatabase, startFerretDb, type RunningService } from '@allot/local-services';
import { createCoreClient, type CoreClient } from '@allot/grpc-client';
import { startCoreProcess, type CoreProcess } from '@allot/testing';
import { buildTenant } from './stories/support/tenant-builder';
import { consumptionEvent } from './stories/support/consumption-events';
import { runPool, withRetry, type RetryStats } from './stories/support/resilient-sender';

const TOTAL = 100_000;
const RESENT_EVERY = 10;
const RESEND_DISTANCE = 5_000;
const BATCH = 50;
const CONCURRENCY = 64;
const ENVIRONMENTS = ['prod', 'test', 'sales', 'hr'] as const;
/** Acknowledged events at which each fault strikes. */
const FAULTS: ReadonlyArray<{ at: number; fault: 'kill-core' | 'kill-database' | 'sigterm-core' }> = [
  { at: 15_000, fault: 'kill-core' },
  { at: 35_000, fault: 'kill-database' },
  { at: 50_000, fault: 'kill-core' },
  { at: 70_000, fault: 'kill-core' },
  { at: 90_000, fault: 'sigterm-core' },
];

/** SIGKILL to every process listening as FerretDB on this port (found by its command line). */
function killFerretDb(port: number): number {
  let killed = 0;
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd.some((a) => a === `--listen-addr=127.0.0.1:${port}`) && !cmd[0]?.endsWith('bash')) {
        process.kill(Number(pid), 'SIGKILL');
        killed++;
      }
    } catch {
      /* gone meanwhile */
    }
  }
  return killed;
}

describe('faults under load', () => {
  const database = `allot_t_faults_${randomBytes(4).toString('hex')}`;
  let ferret: RunningService;
  let core: CoreProcess;
  let admin: CoreClient;
  let tenantId = '';

  beforeAll(async () => {
    // Not throwaway: it is killed and started again on the same PostgreSQL database and port.
    ferret = await startFerretDb({ postgresDatabase: database, mongoDatabase: 'allot', throwaway: false, tiedToParent: true });
    core = await startCoreProcess({ mongodbUri: ferret.url });
    admin = createCoreClient({ address: core.address, apiKey: core.adminKey });
    tenantId = (
      await buildTenant(admin, {
        name: 'faults',
        entitlements: [{ addOnUnits: 2 }],
        environments: [{ id: 'prod', allocation: 1_000_000 }, { id: 'test', allocation: 200_000 }, { id: 'sales' }, { id: 'hr' }],
      })
    ).tenantId;
  });
  afterAll(async () => {
    admin?.close();
    await core?.stop().catch(() => undefined);
    await ferret?.stop().catch(() => undefined);
    dropPostgresDatabase(database);
  });

  it('counts every acknowledged event exactly once through kills of the core and the database', { timeout: 1_500_000 }, async () => {
    const run = randomBytes(4).toString('hex');
    const occurredAt = new Date(Date.now() - 60_000);
    const events: RecordConsumptionRequest[] = Array.from({ length: TOTAL }, (_, i) =>
      consumptionEvent({
        tenantId,
        environmentId: ENVIRONMENTS[i % ENVIRONMENTS.length] ?? 'prod',
        userId: `u${i % 13}`,
        idempotencyKey: `faults-${run}-${i}`,
        credits: ((i * 7_919) % 89) + 1,
        occurredAt,
      }),
    );
    // Every tenth event is sent again 5,000 sends later, inside another batch (a client that lost an answer).
    const stream: RecordConsumptionRequest[] = [];
    for (let i = 0; i < TOTAL + RESEND_DISTANCE; i++) {
      const original = events[i];
      if (original !== undefined) stream.push(original);
      const again = events[i - RESEND_DISTANCE];
      if (again !== undefined && (i - RESEND_DISTANCE) % RESENT_EVERY === 0) stream.push(again);
    }
    const batches = Array.from({ length: Math.ceil(stream.length / BATCH) }, (_, b) => stream.slice(b * BATCH, (b + 1) * BATCH));

    const stats: RetryStats = { retries: 0 };
    const acknowledged = new Set<string>();
    let duplicates = 0;
    let sending = true;
    const struck: string[] = [];
    const faults = (async () => {
      for (const { at, fault } of FAULTS) {
        while (sending && acknowledged.size < at) await new Promise((r) => setTimeout(r, 20));
        if (!sending) return;
        if (fault === 'kill-core') {
          await core.kill();
          await core.restart();
        } else if (fault === 'sigterm-core') {
          // A graceful stop in the middle of the traffic: what it acknowledged before it stopped must be durable.
          await core.stop();
          await core.restart();
        } else {
          expect(killFerretDb(ferret.port)).toBeGreaterThan(0);
          await new Promise((r) => setTimeout(r, 500));
          ferret = await startFerretDb({ postgresDatabase: database, port: ferret.port, mongoDatabase: 'allot', throwaway: false, tiedToParent: true });
        }
        struck.push(`${fault} at ${acknowledged.size}`);
      }
    })();
    const started = Date.now();
    try {
      await runPool(batches, CONCURRENCY, async (batch) => {
        const res = await withRetry(() => admin.consumption.recordConsumptionBatch({ events: batch }, { timeoutMs: 30_000 }), stats, 600_000);
        res.results.forEach((item, i) => {
          const e = batch[i];
          if (e === undefined) return;
          if (item.result === undefined) throw new Error(`event ${e.idempotencyKey} refused: ${JSON.stringify(item.error)}`);
          expect(item.result.credits).toBe(e.credits);
          if (item.result.duplicate) duplicates++;
          acknowledged.add(e.idempotencyKey);
        });
      });
    } finally {
      sending = false;
      await faults;
    }
    console.log(
      `faults under load: ${stream.length} sends of ${TOTAL} events in ${Date.now() - started} ms at concurrency ${CONCURRENCY}; ` +
        `${stats.retries} retried calls, ${duplicates} duplicate answers; faults: ${struck.join(', ')}`,
    );
    expect(acknowledged.size).toBe(TOTAL);
    expect(struck).toHaveLength(FAULTS.length);
    // Each resent event is answered as a duplicate at least once (crash retries may add more).
    expect(duplicates).toBeGreaterThanOrEqual(TOTAL / RESENT_EVERY);

    const sum = (list: readonly RecordConsumptionRequest[]): number => list.reduce((s, e) => s + (e.credits ?? 0), 0);
    const expected = {
      tenant: sum(events),
      byEnvironment: Object.fromEntries(ENVIRONMENTS.map((env) => [env, sum(events.filter((e) => e.environmentId === env))])),
      events: TOTAL,
    };
    const observe = async () => {
      const report = await admin.reporting.getUsageReport({ tenantId, period: '', groupBy: UsageGroupBy.USAGE_GROUP_BY_ENVIRONMENT, environmentId: '', limit: 0 }, { timeoutMs: 120_000 });
      const byEnvironment: Record<string, number> = {};
      for (const env of ENVIRONMENTS) byEnvironment[env] = (await admin.reporting.getBalance({ tenantId, environmentId: env, userId: '', period: '' })).consumed;
      return { tenant: (await admin.reporting.getBalance({ tenantId, environmentId: '', userId: '', period: '' })).consumed, byEnvironment, events: report.totalEvents };
    };
    expect(await observe()).toEqual(expected);
    await core.restart();
    expect(await observe()).toEqual(expected);
    const reconcile = await admin.maintenance.reconcile({ tenantId }, { timeoutMs: 300_000 });
    expect(reconcile.fixes).toEqual([]);
    expect(reconcile.ledgerEvents).toBe(TOTAL);
  });
});
