/**
 * The DUAL demo tenant "fabrikam" (America/New_York, docs/licensing.md): one capacity add-on (1,000,000 AI Builder
 * credits), two Copilot Credit packs (50,000 Copilot Credits) and pay-as-you-go, four environments:
 *   - invoices: 150,000 AI Builder credits and 20,000 Copilot Credits allocated, then the tenant's Copilot pool; its
 *     invoice flow uses up the AI Builder credits and goes on in Copilot Credits (allocation, then pool);
 *   - support: 20,000 AI Builder credits allocated; does not draw from the tenant's Copilot pool, pay-as-you-go
 *     with a budget of 5,000 Copilot Credits instead, where its agent ends up;
 *   - sales: shares the pools; its lead-scoring app is capped at 5,000 AI Builder credits and is past 80% of it;
 *   - dev: shares the pools; makers build and test (free) and run a few premium prompts.
 * Every event is given as capability + quantity, so the core can price it in both currencies; MAKER and TEST
 * events are free. A tenant that already has events this month is left as it is.
 */
import type { CoreClient } from '@allot/grpc-client';
import {
  Currency,
  DrawSource,
  EntitlementKind,
  LicensingModel,
  Operation,
  Stage,
  UsageGroupBy,
  type RecordConsumptionBatchItem,
  type RecordConsumptionRequest,
} from '@allot/contracts';
import { amountMillis, ensure, formatNumber, recordAll, say, spreadOverPeriod } from './demo-client';

const tenantId = 'fabrikam';

interface DemoEnvironment {
  readonly id: string;
  readonly name: string;
  /** Monthly allocations (0: none, the environment shares the pool). */
  readonly aiBuilder: number;
  readonly copilot: number;
  /** Pay-as-you-go budget in Copilot Credits, instead of drawing from the tenant's Copilot pool. */
  readonly paygBudget?: number;
  /** A source limit: [app, AI Builder credits]. */
  readonly sourceLimit?: readonly [string, number];
}

const ENVIRONMENTS: readonly DemoEnvironment[] = [
  { id: 'invoices', name: 'Invoices', aiBuilder: 150_000, copilot: 20_000 },
  { id: 'support', name: 'Customer Support', aiBuilder: 20_000, copilot: 0, paygBudget: 5_000 },
  { id: 'sales', name: 'Sales Hub', aiBuilder: 0, copilot: 0, sourceLimit: ['lead-scoring', 5_000] },
  { id: 'dev', name: 'Dev Sandbox', aiBuilder: 0, copilot: 0 },
];

/** [environment, user, operation, capability, quantity, times, source]; prices are AI Builder / Copilot Credits. */
type PlanRow = readonly [string, string, Operation, string, number, number, string];
const { OPERATION_RUN: RUN, OPERATION_MAKER: MAKER, OPERATION_TEST: TEST } = Operation;
const PLAN: readonly PlanRow[] = [
  // 500 invoice pages a run: 16,000 / 4,000. Nine runs leave 6,000 of the 150,000; the summary prompt (6,660 /
  // 166.5) and the next six runs no longer fit and go to Copilot Credits: the allocation, then 4,166.5 of the pool.
  ['invoices', 'nestor@fabrikam.com', RUN, 'invoice-processing', 500, 9, 'invoice-flow'],
  ['invoices', 'nestor@fabrikam.com', RUN, 'prompt-standard-output', 111_000, 1, 'invoice-summary'],
  ['invoices', 'nestor@fabrikam.com', RUN, 'invoice-processing', 500, 6, 'invoice-flow'],
  ['invoices', 'nestor@fabrikam.com', MAKER, 'invoice-processing', 40, 1, ''],
  ['invoices', 'nestor@fabrikam.com', TEST, 'invoice-processing', 20, 2, ''],
  // 50,000 output tokens a conversation: 3,000 / 75. Six fit in 20,000; four more go to pay-as-you-go (300).
  ['support', 'alex@fabrikam.com', RUN, 'prompt-standard-output', 50_000, 10, 'support-agent'],
  // 105,000 characters: 2,100 / 157.5, twice: 4,200 of the 5,000 cap. 400,000 basic tokens: 1,200 / 40.
  ['sales', 'pradeep@fabrikam.com', RUN, 'category-classification', 105_000, 2, 'lead-scoring'],
  ['sales', 'pradeep@fabrikam.com', RUN, 'prompt-basic-output', 400_000, 3, 'quote-builder'],
  // Free for makers and testers; 4,000 premium output tokens: 2,240 / 40.
  ['dev', 'lidia@fabrikam.com', MAKER, 'custom-document-processing', 50, 2, ''],
  ['dev', 'lidia@fabrikam.com', TEST, 'custom-document-processing', 25, 2, ''],
  ['dev', 'isaiah@fabrikam.com', RUN, 'prompt-premium-output', 4_000, 2, 'contract-review'],
];

/** Seeds fabrikam; false when the core refused some of its events. */
export async function seedDual(core: CoreClient): Promise<boolean> {
  await ensure('tenant fabrikam', () => core.admin.createTenant({ tenantId, displayName: 'Fabrikam', timeZone: 'America/New_York' }));
  const usage = await core.reporting.getUsageReport({ tenantId, period: '', groupBy: UsageGroupBy.USAGE_GROUP_BY_ENVIRONMENT, environmentId: '', limit: 0 });
  if (usage.totalEvents > 0) {
    say(`fabrikam already has ${usage.totalEvents} events of usage in ${usage.period}; nothing recorded`);
    say(`demo tenant ${tenantId} is ready`);
    return true;
  }
  await setUp(core);
  const rows = PLAN.flatMap(([environmentId, userId, operation, capability, quantity, times, sourceId]) =>
    Array.from({ length: times }, () => ({ environmentId, userId, operation, capability, quantity, sourceId })),
  );
  const ordered = interleaveByEnvironment(rows);
  const at = spreadOverPeriod(usage.period, 12, ordered.length);
  const events: RecordConsumptionRequest[] = ordered.map((row, i) => ({
    tenantId,
    ...row,
    idempotencyKey: `demo-${usage.period}-${i + 1}`,
    occurredAt: at[i],
  }));
  const results = await recordAll(core, events);
  if (results === undefined) return false;
  say(
    `fabrikam (DUAL) in ${usage.period}: 1,000,000 AI Builder credits (a capacity add-on), ` +
      '50,000 Copilot Credits (2 packs), pay-as-you-go',
  );
  for (const line of summaryLines(events, results)) say(`  ${line}`);
  say(`demo tenant ${tenantId} is ready`);
  return true;
}

/** DUAL, the entitlements it lacks, the environments and their allocations, Copilot settings and source limits. */
async function setUp(core: CoreClient): Promise<void> {
  const { tenant } = await core.admin.getTenant({ tenantId });
  if (tenant?.licensingModel !== LicensingModel.LICENSING_MODEL_DUAL) {
    await core.admin.updateTenantSettings({ tenantId, thresholds: undefined, licensingModel: LicensingModel.LICENSING_MODEL_DUAL });
    say('fabrikam: licensing model DUAL');
  }
  const { entitlements } = await core.admin.listEntitlements({ tenantId });
  const wanted: Array<[EntitlementKind, number, string]> = [
    [EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, 1, 'a capacity add-on'],
    [EntitlementKind.ENTITLEMENT_KIND_COPILOT_PACK, 2, '2 Copilot Credit packs'],
    [EntitlementKind.ENTITLEMENT_KIND_COPILOT_PAYG, 1, 'pay-as-you-go'],
  ];
  for (const [kind, quantity, what] of wanted) {
    if (entitlements.some((e) => e.kind === kind)) continue;
    await core.admin.addEntitlement({ tenantId, kind, sku: '', quantity, firstPeriod: '', lastPeriod: '' });
    say(`added ${what}`);
  }
  for (const env of ENVIRONMENTS) {
    const environmentId = env.id;
    await ensure(`environment ${environmentId}`, () =>
      core.admin.createEnvironment({ tenantId, environmentId, displayName: env.name, tenantPoolFallback: false }),
    );
    if (env.paygBudget !== undefined) {
      await core.admin.updateEnvironmentSettings({ tenantId, environmentId, copilotDrawFromTenant: false, copilotPayg: true, copilotPaygBudget: env.paygBudget });
    }
    if (env.aiBuilder > 0) await core.admin.setAllocation({ tenantId, environmentId, credits: env.aiBuilder, currency: Currency.CURRENCY_AI_BUILDER });
    if (env.copilot > 0) await core.admin.setAllocation({ tenantId, environmentId, credits: env.copilot, currency: Currency.CURRENCY_COPILOT });
    if (env.sourceLimit !== undefined) {
      const [source, credits] = env.sourceLimit;
      await core.admin.setSourceLimit({ tenantId, environmentId, source, credits, currency: Currency.CURRENCY_AI_BUILDER });
    }
  }
}

/** The rows in turn across environments (each environment's own order kept), so the month looks like one. */
function interleaveByEnvironment<T extends { environmentId: string }>(rows: readonly T[]): T[] {
  const queues = new Map<string, T[]>();
  for (const row of rows) queues.set(row.environmentId, [...(queues.get(row.environmentId) ?? []), row]);
  const ordered: T[] = [];
  while (ordered.length < rows.length) {
    for (const queue of queues.values()) {
      const next = queue.shift();
      if (next !== undefined) ordered.push(next);
    }
  }
  return ordered;
}

interface Totals {
  aiBuilder: number;
  aiBuilderOverage: number;
  /** Copilot thousandths by source (overage included). */
  copilot: Map<DrawSource, number>;
  free: number;
  bySource: Map<string, number>;
  stage: Stage;
}

const COPILOT_SOURCE_NAMES = new Map<DrawSource, string>([
  [DrawSource.DRAW_SOURCE_COPILOT_ALLOCATION, 'allocation'],
  [DrawSource.DRAW_SOURCE_COPILOT_UNASSIGNED, 'tenant pool'],
  [DrawSource.DRAW_SOURCE_COPILOT_PAYG, 'pay-as-you-go'],
  [DrawSource.DRAW_SOURCE_OVERAGE, 'overage'],
]);

/** One line per environment: what it was given, and what the core charged its events in each currency. */
function summaryLines(events: readonly RecordConsumptionRequest[], results: readonly RecordConsumptionBatchItem[]): string[] {
  const totals = new Map<string, Totals>();
  events.forEach((event, i) => {
    const result = results[i]?.result;
    if (result === undefined) return;
    const t = totals.get(event.environmentId) ?? { aiBuilder: 0, aiBuilderOverage: 0, copilot: new Map(), free: 0, bySource: new Map(), stage: Stage.STAGE_UNSPECIFIED };
    totals.set(event.environmentId, t);
    t.stage = result.stage;
    if (event.operation !== Operation.OPERATION_RUN) t.free += 1;
    for (const d of result.draws) {
      if (d.currency === Currency.CURRENCY_COPILOT) {
        t.copilot.set(d.source, (t.copilot.get(d.source) ?? 0) + amountMillis(d.amount ?? '0'));
      } else if (d.source === DrawSource.DRAW_SOURCE_OVERAGE) {
        t.aiBuilderOverage += d.credits;
      } else {
        t.aiBuilder += d.credits;
        if (event.sourceId !== '') t.bySource.set(event.sourceId, (t.bySource.get(event.sourceId) ?? 0) + d.credits);
      }
    }
  });
  const width = Math.max(...ENVIRONMENTS.map((e) => e.id.length));
  return ENVIRONMENTS.map((env) => {
    const t = totals.get(env.id);
    const given = [
      env.aiBuilder > 0 ? `${formatNumber(env.aiBuilder)} AI Builder` : '',
      env.copilot > 0 ? `${formatNumber(env.copilot)} Copilot allocated` : '',
      env.paygBudget !== undefined ? `no tenant Copilot pool, pay-as-you-go up to ${formatNumber(env.paygBudget)}` : '',
      env.aiBuilder === 0 && env.copilot === 0 ? 'shares the pools' : '',
      env.sourceLimit !== undefined ? `${env.sourceLimit[0]} capped at ${formatNumber(env.sourceLimit[1])}` : '',
    ].filter((s) => s !== '');
    if (t === undefined) return `${env.id.padEnd(width)}  ${given.join(', ')}: no events`;
    const copilotTotal = [...t.copilot.values()].reduce((a, b) => a + b, 0);
    const used = [`${formatNumber(t.aiBuilder)} AI Builder`];
    if (t.aiBuilderOverage > 0) used.push(`${formatNumber(t.aiBuilderOverage)} AI Builder overage`);
    if (copilotTotal > 0) {
      const parts = [...t.copilot].map(([source, millis]) => `${COPILOT_SOURCE_NAMES.get(source) ?? DrawSource[source]} ${formatNumber(millis, true)}`);
      used.push(`${formatNumber(copilotTotal, true)} Copilot (${parts.join(', ')})`);
    }
    if (env.sourceLimit !== undefined) used.push(`${env.sourceLimit[0]} ${formatNumber(t.bySource.get(env.sourceLimit[0]) ?? 0)}`);
    if (t.free > 0) used.push(`${t.free} free MAKER/TEST events`);
    return `${env.id.padEnd(width)}  ${given.join(', ')}: used ${used.join(', ')}; ${Stage[t.stage].replace('STAGE_', '')}`;
  });
}
