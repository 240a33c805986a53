/**
 * Story 8: exactly once across crashes. A client streams 10,000 events (batches of 100, every tenth chunk as single
 * calls) and retries failures with the same idempotency keys, while the core is killed with SIGKILL twice and
 * restarted. Afterwards the totals equal the sum of the unique events, to the credit, and stay so after another
 * restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageGroupBy, type RecordConsumptionRequest } from '@allot/contracts';
import { startStoryCore, type StoryCore } from './support/story-core';
import { buildTenant } from './support/tenant-builder';
import { consumptionEvent } from './support/consumption-events';
import { runPool, withRetry, type RetryStats } from './support/resilient-sender';
import { crashWhileSending } from './support/crash-while-sending';

const TOTAL_EVENTS = 10_000;
const CHUNK = 100;
const ENVIRONMENTS = ['alpha', 'beta', 'gamma'] as const;
const USERS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'];
/** Acknowledged-event counts at which the core is killed. */
const KILL_AT = [3_000, 7_000];

describe('story 8: SIGKILL while 10,000 events stream in, with retries', () => {
  let sc: StoryCore;
  let tenantId = '';
  beforeAll(async () => {
    sc = await startStoryCore();
    tenantId = (
      await buildTenant(sc.admin, {
        name: 'crashy',
        entitlements: [{ addOnUnits: 1 }],
        // alpha runs into overage, so the crash also hits split draws.
        environments: [{ id: 'alpha', allocation: 100_000 }, { id: 'beta' }, { id: 'gamma' }],
      })
    ).tenantId;
  });
  afterAll(async () => {
    await sc?.stop();
  });

  it('counts every acknowledged event exactly once', { timeout: 180_000 }, async () => {
    const runTag = Date.now().toString(36);
    const occurredAt = new Date(Date.now() - 60_000);
    const events: RecordConsumptionRequest[] = Array.from({ length: TOTAL_EVENTS }, (_, i) =>
      consumptionEvent({
        tenantId,
        environmentId: ENVIRONMENTS[i % ENVIRONMENTS.length] ?? 'alpha',
        userId: USERS[i % USERS.length] ?? 'u1',
        idempotencyKey: `s8-${runTag}-${i}`,
        credits: ((i * 7_919) % 97) + 1,
        occurredAt,
      }),
    );
    const sum = (list: readonly RecordConsumptionRequest[]) => list.reduce((s, e) => s + (e.credits ?? 0), 0);
    const expectedTotal = sum(events);
    const expectedByEnv = Object.fromEntries(ENVIRONMENTS.map((env) => [env, sum(events.filter((e) => e.environmentId === env))]));
    const expectedEventsByEnv = Object.fromEntries(ENVIRONMENTS.map((env) => [env, events.filter((e) => e.environmentId === env).length]));
    const expectedByUser = Object.fromEntries(USERS.map((u) => [u, sum(events.filter((e) => e.userId === u))]));

    const chunks = Array.from({ length: TOTAL_EVENTS / CHUNK }, (_, c) => events.slice(c * CHUNK, (c + 1) * CHUNK));
    const stats: RetryStats = { retries: 0 };
    const acknowledged = new Set<string>();
    let duplicates = 0;
    const ack = (key: string, duplicate: boolean) => {
      acknowledged.add(key);
      if (duplicate) duplicates++;
    };

    const sendChunk = async (chunk: RecordConsumptionRequest[], c: number): Promise<void> => {
      if (c % 10 === 5) {
        await runPool(chunk, 10, async (e) => {
          const res = await withRetry(() => sc.admin.consumption.recordConsumption(e, { timeoutMs: 5_000 }), stats);
          expect(res.credits).toBe(e.credits);
          ack(e.idempotencyKey, res.duplicate);
        });
        return;
      }
      const res = await withRetry(() => sc.admin.consumption.recordConsumptionBatch({ events: chunk }, { timeoutMs: 5_000 }), stats);
      expect(res.results).toHaveLength(chunk.length);
      res.results.forEach((item, i) => {
        const e = chunk[i];
        if (!e) return;
        if (!item.result) throw new Error(`event ${e.idempotencyKey} refused: ${JSON.stringify(item.error)}`);
        expect(item.result.credits).toBe(e.credits);
        ack(e.idempotencyKey, item.result.duplicate);
      });
    };

    const started = Date.now();
    const { kills, downtimes } = await crashWhileSending(sc.core, KILL_AT, () => acknowledged.size, () => runPool(chunks, 4, sendChunk));
    const elapsed = Date.now() - started;
    expect(acknowledged.size).toBe(TOTAL_EVENTS);
    expect(kills).toBe(KILL_AT.length);
    // Shown in the test output so a reader sees the crashes really interrupted calls.
    console.log(`story 8: ${TOTAL_EVENTS} events in ${elapsed} ms, ${stats.retries} retried calls, ${duplicates} duplicate answers, ${kills} kills (down ${downtimes.join(' ms, ')} ms)`);
    expect(stats.retries).toBeGreaterThan(0);

    // A retry storm after the fact changes nothing. Its deadline is sized for a loaded two-core machine: the test
    // checks the answers, not the speed (the benchmark measures that).
    const replay = await sc.admin.consumption.recordConsumptionBatch({ events: events.slice(0, 500) }, { timeoutMs: 180_000 });
    expect(replay.results.every((r) => r.result?.duplicate === true)).toBe(true);

    // Every number a user would see, gathered first so a failure shows the whole picture at once.
    const expected = {
      tenantConsumed: expectedTotal,
      environmentConsumed: expectedByEnv,
      reportTotalCredits: expectedTotal,
      reportTotalEvents: TOTAL_EVENTS,
      reportCreditsByEnvironment: expectedByEnv,
      reportEventsByEnvironment: expectedEventsByEnv,
      reportCreditsByUser: expectedByUser,
    };
    const observeBalances = async () => {
      const tenant = await sc.admin.reporting.getBalance({ tenantId, environmentId: '', userId: '', period: '' });
      const environmentConsumed: Record<string, number> = {};
      for (const env of ENVIRONMENTS) {
        environmentConsumed[env] = (await sc.admin.reporting.getBalance({ tenantId, environmentId: env, userId: '', period: '' })).consumed;
      }
      return { tenantConsumed: tenant.consumed, environmentConsumed };
    };
    const observe = async () => {
      // Reports read the ledger; give them more than the client's default 10 s, and show how long they took.
      const report = async (groupBy: UsageGroupBy) => {
        const t0 = Date.now();
        const r = await sc.admin.reporting.getUsageReport({ tenantId, period: '', groupBy, environmentId: '', limit: 0 }, { timeoutMs: 60_000 });
        console.log(`story 8: GetUsageReport ${UsageGroupBy[groupBy]} over ${TOTAL_EVENTS} events took ${Date.now() - t0} ms`);
        return r;
      };
      const byEnv = await report(UsageGroupBy.USAGE_GROUP_BY_ENVIRONMENT);
      const byUser = await report(UsageGroupBy.USAGE_GROUP_BY_USER);
      return {
        ...(await observeBalances()),
        reportTotalCredits: byEnv.totalCredits,
        reportTotalEvents: byEnv.totalEvents,
        reportCreditsByEnvironment: Object.fromEntries(byEnv.rows.map((r) => [r.key, r.credits])),
        reportEventsByEnvironment: Object.fromEntries(byEnv.rows.map((r) => [r.key, r.events])),
        reportCreditsByUser: Object.fromEntries(byUser.rows.map((r) => [r.key, r.credits])),
      };
    };
    expect(await observe()).toEqual(expected);
    // Projections rebuilt on a clean restart must not count anything twice either (the ledger reports cannot change).
    await sc.core.restart();
    expect(await observeBalances()).toEqual({ tenantConsumed: expectedTotal, environmentConsumed: expectedByEnv });
  });
});
