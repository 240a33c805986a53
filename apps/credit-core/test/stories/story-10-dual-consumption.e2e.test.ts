/**
 * Story 10 (licensing v2, docs/licensing.md): consumption under DUAL and source caps, over real gRPC.
 * - A DUAL tenant moves from AI Builder credits to Copilot Credits within one day: never one event split across
 *   currencies; its license seats give no AI Builder credits after 2026-10 (only the add-on does); balances, the
 *   usage report, the CSV and the forecast show both currencies; all of it survives a restart and Reconcile agrees.
 * - A pack used up, then pay-as-you-go within its budget, then a block (makers still free); no budget: unlimited.
 * - A source cap: a warning alert at its threshold, then that source refused (SOURCE_LIMIT_EXCEEDED) while the
 *   rest of the environment goes on, also after a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertKind, Currency, DenialReason, DrawSource, EntitlementKind, LicensingModel, Operation, Stage, UsageGroupBy } from '@allot/contracts';
import { startStoryCore, type StoryCore } from './support/story-core';
import { buildTenant } from './support/tenant-builder';
import { accessQuery, consumptionEvent } from './support/consumption-events';

describe('story 10: consumption under DUAL, and source caps', () => {
  let sc: StoryCore;
  beforeAll(async () => {
    sc = await startStoryCore();
  });
  afterAll(async () => {
    await sc?.stop();
  });

  const dual = async (tenantId: string): Promise<void> => {
    await sc.admin.admin.updateTenantSettings({ tenantId, thresholds: undefined, licensingModel: LicensingModel.LICENSING_MODEL_DUAL });
  };
  const record = (tenantId: string, spec: { capability?: string; quantity?: number; credits?: number; sourceId?: string; operation?: Operation }) =>
    sc.admin.consumption.recordConsumption(consumptionEvent({ tenantId, environmentId: 'prod', ...spec }));
  const balance = (tenantId: string) => sc.admin.reporting.getBalance({ tenantId, environmentId: 'prod', userId: '', period: '' });

  it('moves from AI Builder credits to Copilot Credits within one day, one currency per event, exact after a restart', async () => {
    const { tenantId } = await buildTenant(sc.admin, {
      name: 'dual-day',
      entitlements: [{ addOnUnits: 1 }, { sku: 'POWER_APPS_PREMIUM', seats: 20 }],
      environments: [{ id: 'prod', allocation: 1_000 }],
    });
    await dual(tenantId);
    await sc.admin.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_COPILOT_PACK, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
    await sc.admin.admin.setAllocation({ tenantId, environmentId: 'prod', credits: 100, currency: Currency.CURRENCY_COPILOT });
    // The seats' seeded credits ended after 2026-10: only the add-on's 1,000,000 are left.
    expect((await sc.admin.admin.getCapacity({ tenantId, period: '' })).capacity).toBe(1_000_000);

    // 20 invoice pages: 640 AI Builder credits, within the allocation of 1,000.
    const first = await record(tenantId, { capability: 'invoice-processing', quantity: 20 });
    expect(first).toMatchObject({ credits: 640, currency: Currency.CURRENCY_AI_BUILDER, amount: '640' });
    expect(first.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_ALLOCATION, credits: 640, currency: Currency.CURRENCY_AI_BUILDER, amount: '640' }]);
    // 20 more: 640 > the 360 left, so the whole event goes to Copilot Credits (160): allocation 100, then the pool.
    const second = await record(tenantId, { capability: 'invoice-processing', quantity: 20 });
    expect(second).toMatchObject({ credits: 640, currency: Currency.CURRENCY_COPILOT, amount: '160' });
    expect(second.draws).toEqual([
      { source: DrawSource.DRAW_SOURCE_COPILOT_ALLOCATION, credits: 0, currency: Currency.CURRENCY_COPILOT, amount: '100' },
      { source: DrawSource.DRAW_SOURCE_COPILOT_UNASSIGNED, credits: 0, currency: Currency.CURRENCY_COPILOT, amount: '60' },
    ]);
    // 2,500 characters of sentiment (5 credits: 2,500 x 2 / 1,000) still fit in AI Builder credits: they come first whenever they cover.
    expect(await record(tenantId, { capability: 'sentiment-analysis', quantity: 2_500 })).toMatchObject({ currency: Currency.CURRENCY_AI_BUILDER, amount: '5' });
    // 300 pages of text recognition: 900 credits > 355 left, so 30 Copilot Credits (0.1 each), exactly.
    expect(await record(tenantId, { capability: 'text-recognition', quantity: 300 })).toMatchObject({ currency: Currency.CURRENCY_COPILOT, amount: '30' });
    // An event given as credits only has no Copilot price: AI Builder credits, the rest overage.
    const creditsOnly = await record(tenantId, { credits: 500 });
    expect(creditsOnly).toMatchObject({ currency: Currency.CURRENCY_AI_BUILDER, amount: '500' });
    expect(creditsOnly.draws.map((d) => [d.source, d.credits])).toEqual([
      [DrawSource.DRAW_SOURCE_ALLOCATION, 355],
      [DrawSource.DRAW_SOURCE_OVERAGE, 145],
    ]);

    const expectBothCurrencies = async (): Promise<void> => {
      const access = await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'prod'));
      expect(access).toMatchObject({ allowed: true, remaining: 0, copilotRemaining: '24810' });
      const b = await balance(tenantId);
      expect(b).toMatchObject({ consumed: 1_145, overage: 145 });
      expect(b.copilot).toMatchObject({ consumed: '190', remaining: '24810', unlimited: false, overage: '0' });
      const bySource = Object.fromEntries((b.copilot?.consumedBySource ?? []).map((d) => [d.source, d.amount]));
      expect(bySource).toMatchObject({ [DrawSource.DRAW_SOURCE_COPILOT_ALLOCATION]: '100', [DrawSource.DRAW_SOURCE_COPILOT_UNASSIGNED]: '90' });
      const report = await sc.admin.reporting.getUsageReport({ tenantId, period: '', groupBy: UsageGroupBy.USAGE_GROUP_BY_CAPABILITY, environmentId: '', limit: 0 });
      expect(report).toMatchObject({ totalCredits: 1_145, totalEvents: 5, totalCopilotCredits: '190' });
      expect(report.rows.find((r) => r.key === 'invoice-processing')).toMatchObject({ credits: 640, copilotCredits: '160', events: 2 });
      expect(report.rows.find((r) => r.key === 'text-recognition')).toMatchObject({ credits: 0, copilotCredits: '30' });
    };
    await expectBothCurrencies();

    let csv = '';
    for await (const chunk of sc.admin.reporting.exportUsageCsv({ tenantId, period: '' })) csv += chunk.chunk;
    const [header, ...rows] = csv.trim().split('\n');
    expect(header).toBe('Date,UserId,EnvironmentId,EnvironmentName,AIConsumption,IsTrial,CopilotConsumption');
    // One row per day (a run across midnight has two): the columns add up to each currency's total.
    const cells = rows.map((r) => r.split(','));
    expect(cells.reduce((sum, c) => sum + Number(c[4]), 0)).toBe(1_145);
    expect(cells.reduce((sum, c) => sum + Number(c[6]), 0)).toBe(190);

    const forecast = await sc.admin.reporting.getForecast({ tenantId, environmentId: 'prod' });
    expect(forecast.copilot).toMatchObject({ consumed: '190', available: '25000', unlimited: false });
    // Today's 190 Copilot Credits are in the environment's own daily series: the burn rate is not zero.
    expect(Number(forecast.copilot?.burnRatePerDay)).toBeGreaterThan(0);

    // Copilot usage is in the projections and the journal: a restart loads the same, and the ledger agrees.
    await sc.core.restart();
    await expectBothCurrencies();
    expect((await sc.admin.maintenance.reconcile({ tenantId })).fixes).toEqual([]);
  });

  it('a pack used up, then pay-as-you-go within its budget, then a block; makers go on; no budget means no limit', async () => {
    const { tenantId } = await buildTenant(sc.admin, { name: 'dual-payg', environments: [{ id: 'prod' }] });
    await dual(tenantId);
    await sc.admin.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_COPILOT_PACK, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
    await sc.admin.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_COPILOT_PAYG, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
    await sc.admin.admin.updateEnvironmentSettings({ tenantId, environmentId: 'prod', copilotPayg: true, copilotPaygBudget: 1_000 });

    // A premium prompt of 1,000,000 tokens: 10,000 Copilot Credits (no AI Builder credits at all here).
    const premium = (tokens: number) => record(tenantId, { capability: 'prompt-premium-input', quantity: tokens });
    expect(await premium(1_000_000)).toMatchObject({ currency: Currency.CURRENCY_COPILOT, amount: '10000' });
    expect(await premium(1_000_000)).toMatchObject({ amount: '10000' });
    expect(await premium(400_000)).toMatchObject({ amount: '4000' });
    // 1,000 left in the pack: this 1,500 takes them, and 500 from pay-as-you-go.
    const crossing = await premium(150_000);
    expect(crossing.draws.map((d) => [d.source, d.amount])).toEqual([
      [DrawSource.DRAW_SOURCE_COPILOT_UNASSIGNED, '1000'],
      [DrawSource.DRAW_SOURCE_COPILOT_PAYG, '500'],
    ]);
    expect(await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'prod'))).toMatchObject({ allowed: true, copilotRemaining: '500' });
    expect((await premium(50_000)).draws.map((d) => [d.source, d.amount])).toEqual([[DrawSource.DRAW_SOURCE_COPILOT_PAYG, '500']]);

    // Budget used up: RUN refused, no grace stage; makers are never refused.
    expect(await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'prod'))).toMatchObject({
      allowed: false,
      stage: Stage.STAGE_BLOCKED,
      reason: DenialReason.DENIAL_REASON_QUOTA_EXCEEDED,
    });
    expect(await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'prod', Operation.OPERATION_MAKER))).toMatchObject({ allowed: true });
    // What runs anyway is recorded as overage in Copilot Credits; a maker's event costs nothing.
    const over = await premium(10_000);
    expect(over.draws).toEqual([{ source: DrawSource.DRAW_SOURCE_OVERAGE, credits: 0, currency: Currency.CURRENCY_COPILOT, amount: '100' }]);
    expect(await record(tenantId, { capability: 'prompt-premium-input', quantity: 10_000, operation: Operation.OPERATION_MAKER })).toMatchObject({ draws: [] });
    const blocked = await balance(tenantId);
    expect(blocked).toMatchObject({ stage: Stage.STAGE_BLOCKED, reason: DenialReason.DENIAL_REASON_QUOTA_EXCEEDED });
    expect(blocked.copilot).toMatchObject({ consumed: '26100', remaining: '0', overage: '100' });
    // The Copilot forecast says they ran out today, and the forecast alert says it in Copilot Credits.
    expect((await sc.admin.reporting.getForecast({ tenantId, environmentId: 'prod' })).copilot).toMatchObject({ runsOutBeforePeriodEnd: true, available: '26000' });
    expect((await sc.admin.maintenance.raiseForecastAlerts({ tenantId, now: undefined })).raised).toBe(1);
    const forecastAlerts = (await sc.admin.alerts.listAlerts({ tenantId, afterCursor: 0, limit: 100 })).alerts.filter((a) => a.kind === AlertKind.ALERT_KIND_FORECAST_EXHAUSTION);
    expect(forecastAlerts).toEqual([expect.objectContaining({ currency: Currency.CURRENCY_COPILOT, copilotConsumed: '26100', copilotAvailable: '26000' })]);

    // Pay-as-you-go without a budget: no limit (Microsoft bills it through Azure with no cap).
    await sc.admin.admin.updateEnvironmentSettings({ tenantId, environmentId: 'prod', copilotPaygBudget: 0 });
    expect(await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'prod'))).toMatchObject({ allowed: true, copilotUnlimited: true });
    expect((await balance(tenantId)).copilot).toMatchObject({ unlimited: true, consumed: '26100' });
  });

  it('a source cap: a warning at its threshold, then that source refused while the rest goes on, also after a restart', async () => {
    const { tenantId } = await buildTenant(sc.admin, { name: 'source-cap', entitlements: [{ addOnUnits: 1 }], environments: [{ id: 'prod', allocation: 10_000 }] });
    await sc.admin.admin.setSourceLimit({ tenantId, environmentId: 'prod', source: 'invoice-flow', credits: 1_000, currency: Currency.CURRENCY_AI_BUILDER });
    // Alerts are stored right after the answer: wait until `count` are there (readiness, not a time budget).
    const sourceAlerts = async (count: number) => {
      for (;;) {
        const alerts = (await sc.admin.alerts.listAlerts({ tenantId, afterCursor: 0, limit: 100 })).alerts.filter(
          (a) => a.kind === AlertKind.ALERT_KIND_SOURCE_LIMIT_WARNING || a.kind === AlertKind.ALERT_KIND_SOURCE_LIMIT_EXCEEDED,
        );
        if (alerts.length >= count) return alerts;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const access = (source: string) => sc.admin.consumption.checkAccess({ ...accessQuery(tenantId, 'prod'), source });

    await record(tenantId, { credits: 700, sourceId: 'invoice-flow' });
    await record(tenantId, { credits: 5_000, sourceId: 'other-flow' });
    await record(tenantId, { credits: 150, sourceId: 'invoice-flow' });
    // Raised at 850 (85%), not at 700 (70%): the alert carries what the source had used when it was raised.
    const warned = await sourceAlerts(1);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ kind: AlertKind.ALERT_KIND_SOURCE_LIMIT_WARNING, source: 'invoice-flow', environmentId: 'prod', consumed: 850, available: 1_000 });
    expect(await access('invoice-flow')).toMatchObject({ allowed: true });

    await record(tenantId, { credits: 200, sourceId: 'invoice-flow' });
    const refused = await access('invoice-flow');
    expect(refused).toMatchObject({ allowed: false, reason: DenialReason.DENIAL_REASON_SOURCE_LIMIT_EXCEEDED });
    expect(refused.message).toContain('invoice-flow');
    expect(await access('other-flow')).toMatchObject({ allowed: true });
    expect(await sc.admin.consumption.checkAccess(accessQuery(tenantId, 'prod'))).toMatchObject({ allowed: true });
    expect((await sourceAlerts(2)).map((a) => a.kind)).toEqual([AlertKind.ALERT_KIND_SOURCE_LIMIT_WARNING, AlertKind.ALERT_KIND_SOURCE_LIMIT_EXCEEDED]);

    // The source's usage is persisted with the environment's: still refused after a restart, and Reconcile agrees.
    await sc.core.restart();
    expect(await access('invoice-flow')).toMatchObject({ allowed: false, reason: DenialReason.DENIAL_REASON_SOURCE_LIMIT_EXCEEDED });
    expect((await sc.admin.maintenance.reconcile({ tenantId })).fixes).toEqual([]);
    // Raising the cap lets it run again, and shows what it used.
    const limits = await sc.admin.admin.setSourceLimit({ tenantId, environmentId: 'prod', source: 'invoice-flow', credits: 2_000, currency: Currency.CURRENCY_AI_BUILDER });
    expect(limits.limits).toEqual([expect.objectContaining({ source: 'invoice-flow', credits: 2_000, consumed: '1050' })]);
    expect(await access('invoice-flow')).toMatchObject({ allowed: true });
  });
});
