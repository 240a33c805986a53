/**
 * Story 12: exactly once in Copilot Credits across crashes. A DUAL tenant with no AI Builder credits gets 3,000
 * prompts priced by capability (so every one is charged in Copilot Credits, in exact thousandths), from three apps,
 * while the core is killed with SIGKILL twice; the client retries with the same keys. Afterwards every environment's
 * and every source's Copilot total equals the sum of the unique events, to the thousandth, and Reconcile finds
 * nothing to repair.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Currency, EntitlementKind, LicensingModel, UsageGroupBy, type RecordConsumptionRequest } from '@allot/contracts';
import { formatMillis } from '@allot/domain';
import { startStoryCore, type StoryCore } from './support/story-core';
import { buildTenant } from './support/tenant-builder';
import { consumptionEvent } from './support/consumption-events';
import { runPool, withRetry, type RetryStats } from './support/resilient-sender';
import { crashWhileSending } from './support/crash-while-sending';

const TOTAL_EVENTS = 3_000;
const CHUNK = 100;
const ENVIRONMENTS = ['alpha', 'beta'] as const;
const SOURCES = ['flow-a', 'flow-b', ''] as const;
const KILL_AT = [1_000, 2_000];

/** A basic prompt's Copilot price in thousandths: 0.1 per started thousand tokens. */
const priceOf = (tokens: number): number => Math.ceil(tokens / 1_000) * 100;

describe('story 12: SIGKILL while DUAL events stream in, with retries', () => {
  let sc: StoryCore;
  let tenantId = '';
  beforeAll(async () => {
    sc = await startStoryCore();
    tenantId = (await buildTenant(sc.admin, { name: 'dual-crash', environments: ENVIRONMENTS.map((id) => ({ id })) })).tenantId;
    await sc.admin.admin.updateTenantSettings({ tenantId, thresholds: undefined, licensingModel: LicensingModel.LICENSING_MODEL_DUAL });
    // One pack (25,000) drawn by alpha and beta; beta also has pay-as-you-go without a budget, so nothing is refused.
    await sc.admin.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_COPILOT_PACK, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
    await sc.admin.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_COPILOT_PAYG, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
    await sc.admin.admin.updateEnvironmentSettings({ tenantId, environmentId: 'beta', copilotPayg: true, copilotPaygBudget: 0 });
  });
  afterAll(async () => {
    await sc?.stop();
  });

  it('counts every acknowledged Copilot thousandth exactly once, per environment and per source', { timeout: 180_000 }, async () => {
    const runTag = Date.now().toString(36);
    const occurredAt = new Date(Date.now() - 60_000);
    const events: RecordConsumptionRequest[] = Array.from({ length: TOTAL_EVENTS }, (_, i) =>
      consumptionEvent({
        tenantId,
        environmentId: ENVIRONMENTS[i % ENVIRONMENTS.length] ?? 'alpha',
        idempotencyKey: `s12-${runTag}-${i}`,
        capability: 'prompt-basic-input',
        quantity: ((i * 7_919) % 250_000) + 1,
        sourceId: SOURCES[i % SOURCES.length] ?? '',
        occurredAt,
      }),
    );
    const sum = (list: readonly RecordConsumptionRequest[]) => list.reduce((s, e) => s + priceOf(e.quantity), 0);
    const byEnv = Object.fromEntries(ENVIRONMENTS.map((env) => [env, formatMillis(sum(events.filter((e) => e.environmentId === env)))]));
    const bySource = (env: string, source: string) => formatMillis(sum(events.filter((e) => e.environmentId === env && e.sourceId === source)));

    const stats: RetryStats = { retries: 0 };
    const acknowledged = new Set<string>();
    const sendChunk = async (chunk: RecordConsumptionRequest[]): Promise<void> => {
      const res = await withRetry(() => sc.admin.consumption.recordConsumptionBatch({ events: chunk }, { timeoutMs: 5_000 }), stats);
      res.results.forEach((item, i) => {
        const e = chunk[i];
        if (e === undefined) return;
        if (item.result === undefined) throw new Error(`event ${e.idempotencyKey} refused: ${JSON.stringify(item.error)}`);
        // Every answer, first or retried, says what was charged: the whole event in Copilot Credits.
        expect(item.result).toMatchObject({ currency: Currency.CURRENCY_COPILOT, amount: formatMillis(priceOf(e.quantity)) });
        acknowledged.add(e.idempotencyKey);
      });
    };
    const chunks = Array.from({ length: TOTAL_EVENTS / CHUNK }, (_, c) => events.slice(c * CHUNK, (c + 1) * CHUNK));
    const { kills } = await crashWhileSending(sc.core, KILL_AT, () => acknowledged.size, () => runPool(chunks, 4, sendChunk));
    expect(acknowledged.size).toBe(TOTAL_EVENTS);
    expect(kills).toBe(KILL_AT.length);
    expect(stats.retries).toBeGreaterThan(0);

    const observe = async () => {
      const env: Record<string, string | undefined> = {};
      for (const id of ENVIRONMENTS) env[id] = (await sc.admin.reporting.getBalance({ tenantId, environmentId: id, userId: '', period: '' })).copilot?.consumed;
      const report = await sc.admin.reporting.getUsageReport({ tenantId, period: '', groupBy: UsageGroupBy.USAGE_GROUP_BY_ENVIRONMENT, environmentId: '', limit: 0 });
      // A cap far above the usage, to read what each source drew as the core counts it for caps.
      const sources: Record<string, string | undefined> = {};
      for (const id of ENVIRONMENTS) {
        for (const source of ['flow-a', 'flow-b']) {
          const res = await sc.admin.admin.setSourceLimit({ tenantId, environmentId: id, source, credits: 1_000_000_000, currency: Currency.CURRENCY_COPILOT });
          sources[`${id}/${source}`] = res.limits.find((l) => l.source === source)?.consumed;
        }
      }
      return { env, reportTotal: report.totalCopilotCredits, reportEvents: report.totalEvents, sources };
    };
    const expected = {
      env: byEnv,
      reportTotal: formatMillis(sum(events)),
      reportEvents: TOTAL_EVENTS,
      sources: Object.fromEntries(ENVIRONMENTS.flatMap((id) => ['flow-a', 'flow-b'].map((source) => [`${id}/${source}`, bySource(id, source)]))),
    };
    expect(await observe()).toEqual(expected);
    await sc.core.restart();
    expect(await observe()).toEqual(expected);
    expect((await sc.admin.maintenance.reconcile({ tenantId })).fixes).toEqual([]);
  });
});
