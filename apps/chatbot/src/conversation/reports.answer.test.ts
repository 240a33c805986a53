import { describe, expect, it } from 'vitest';
import {
  CheckAccessResponse,
  Currency,
  DrawSource,
  GetBalanceResponse,
  GetCapacityResponse,
  GetForecastResponse,
  GetTenantResponse,
  GetUsageReportResponse,
  Stage,
  UsageGroupBy,
} from '@allot/contracts';
import { fakeAnswerContext } from './answer-context.fake';
import { capacityAnswer } from './capacity.answer';
import { forecast } from './forecast.answer';
import { topConsumers } from './top-consumers.answer';
import { consumptionBySource, userUsage } from './usage-questions.answer';
import { whyAnswer } from './why.answer';

const PROD = { environmentId: 'prod', displayName: 'Production' };
const periodEndsAt = new Date('2026-12-01T00:00:00Z');

describe('forecast of a DUAL environment', () => {
  const f = GetForecastResponse.fromPartial({
    period: '2026-11',
    consumed: 9_000,
    available: 10_000,
    burnRatePerDay: 500,
    projectedConsumed: 14_500,
    projectedExhaustionDate: '2026-11-22',
    runsOutBeforePeriodEnd: true,
    periodEndsAt,
    copilot: { consumed: '3000.5', available: '25000', unlimited: false, burnRatePerDay: '2400.25', projectedConsumed: '29007.5', projectedExhaustionDate: '2026-11-29', runsOutBeforePeriodEnd: true },
  });
  const ask = (r: GetForecastResponse) => forecast(fakeAnswerContext({ reporting: { getForecast: () => r } }), PROD);

  it("gives each currency's run-out day", async () => {
    const r = await ask(f);
    expect(r.text).toBe(
      'At about 500 AI Builder credits a day, Production (prod) will run out of AI Builder credits on 22 Nov 2026, before the reset on 1 Dec 2026. ' +
        'At about 2,400.25 Copilot Credits a day, its Copilot Credits will run out on 29 Nov 2026, before the reset on 1 Dec 2026.',
    );
    expect(r.tone).toBe('warning');
    expect(r.sections.map((s) => s.heading)).toEqual(['AI Builder credits', 'Copilot Credits']);
    expect(r.sections[0]?.facts).toContainEqual({ label: 'Runs out', value: '22 Nov 2026' });
    expect(r.sections[1]?.facts).toContainEqual({ label: 'Runs out', value: '29 Nov 2026' });
    expect(r.sections[1]?.facts).toContainEqual({ label: 'Projected by period end', value: '29,007.5 Copilot Credits' });
    expect(r.sections[1]?.copilotProgress).toEqual({ used: 3_000_500, available: 25_000_000 });
  });

  it('is calm when Copilot Credits take over for the month, and says "no limit" for unlimited pay-as-you-go', async () => {
    const enough = await ask(GetForecastResponse.fromPartial({ ...f, copilot: { ...f.copilot, projectedExhaustionDate: '', runsOutBeforePeriodEnd: false, projectedConsumed: '20000' } }));
    expect(enough.tone).toBe('good');
    expect(enough.text).toContain('At about 2,400.25 Copilot Credits a day, it should use about 20,000 of its 25,000 Copilot Credits: enough.');
    const unlimited = await ask(
      GetForecastResponse.fromPartial({ ...f, copilot: { consumed: '10', available: undefined, unlimited: true, burnRatePerDay: '1.5', projectedConsumed: '25', projectedExhaustionDate: '', runsOutBeforePeriodEnd: false } }),
    );
    expect(unlimited.text).toContain('In Copilot Credits (pay-as-you-go, no limit): about 1.5 Copilot Credits a day, about 25 Copilot Credits by the period end.');
    expect(unlimited.sections[1]?.facts).toContainEqual({ label: 'Available', value: 'pay-as-you-go, no limit' });
    expect(unlimited.sections[1]?.facts).toContainEqual({ label: 'Runs out', value: 'never (no limit)' });
  });

  it('reads as before for a CLASSIC tenant', async () => {
    const r = await ask(GetForecastResponse.fromPartial({ ...f, copilot: undefined }));
    expect(r.text).toBe('At about 500 credits a day, Production (prod) will run out on 22 Nov 2026, before the reset on 1 Dec 2026.');
    expect(r.sections).toHaveLength(1);
  });
});

describe('usage report of a DUAL tenant', () => {
  const report = GetUsageReportResponse.fromPartial({
    period: '2026-11',
    groupBy: UsageGroupBy.USAGE_GROUP_BY_USER,
    rows: [
      { key: 'alice', credits: 300_000, events: 10, copilotCredits: '0' },
      { key: 'bob', credits: 0, events: 4, copilotCredits: '750.5', copilotOverage: '0.5' },
      { key: 'carol', credits: 100_000, events: 3, copilotCredits: '250' },
    ],
    totalCredits: 400_000,
    totalEvents: 17,
    totalCopilotCredits: '1000.5',
  });
  const ctx = fakeAnswerContext({ reporting: { getUsageReport: () => report } });

  it('ranks users with the Copilot Credits they used beside the AI Builder credits', async () => {
    const r = await topConsumers(ctx, ['users'], undefined);
    expect(r.text.split('\n')[0]).toBe('Acme consumed 400,000 AI Builder credits and 1,000.5 Copilot Credits in November 2026.');
    expect(r.sections[0]?.facts).toEqual([
      { label: '1. alice', value: '300,000 AI Builder credits (75%)' },
      { label: '2. carol', value: '100,000 AI Builder credits (25%) · 250 Copilot Credits (25%)' },
      { label: '3. bob', value: '750.5 Copilot Credits (75%)' },
    ]);
    expect(r.sections[0]?.text).toBe('Total: 400,000 AI Builder credits · 1,000.5 Copilot Credits');
  });

  it("answers one user's usage in both currencies", async () => {
    const r = await userUsage(ctx, 'bob', undefined, '');
    expect(r.text).toBe('bob used 0 AI Builder credits in Acme this month (0% of Acme\'s 400,000 AI Builder credits) and 750.5 Copilot Credits (75% of Acme\'s 1,000.5 Copilot Credits), over 4 event(s).');
    expect(r.sections[0]?.facts).toContainEqual({ label: 'Copilot Credits', value: '750.5 Copilot Credits' });
    expect(r.sections[0]?.facts).toContainEqual({ label: 'Copilot overage', value: '0.5 Copilot Credits' });
  });
});

describe('consumption by source of a DUAL environment', () => {
  it('lists where the Copilot Credits came from', async () => {
    const b = GetBalanceResponse.fromPartial({
      period: '2026-11',
      consumedBySource: [{ source: DrawSource.DRAW_SOURCE_ALLOCATION, credits: 10_000 }],
      copilot: {
        consumed: '1000',
        remaining: '24000',
        available: '25000',
        overage: '0',
        consumedBySource: [
          { source: DrawSource.DRAW_SOURCE_COPILOT_ALLOCATION, credits: 0, currency: Currency.CURRENCY_COPILOT, amount: '600' },
          { source: DrawSource.DRAW_SOURCE_COPILOT_PAYG, credits: 0, currency: Currency.CURRENCY_COPILOT, amount: '400' },
        ],
      },
    });
    const r = await consumptionBySource(fakeAnswerContext({ reporting: { getBalance: () => b } }), PROD, '');
    expect(r.text).toBe(
      'Production (prod) consumed 10,000 AI Builder credits in November 2026: Allocations 10,000 AI Builder credits (100%).\n' +
        'Production (prod) consumed 1,000 Copilot Credits in November 2026: Copilot allocations 600 Copilot Credits (60%), Pay-as-you-go 400 Copilot Credits (40%).',
    );
    expect(r.sections[1]).toEqual({
      heading: 'Top sources of Copilot Credits',
      facts: [
        { label: '1. Copilot allocations', value: '600 Copilot Credits (60%)' },
        { label: '2. Pay-as-you-go', value: '400 Copilot Credits (40%)' },
      ],
    });
  });
});

describe('capacity of a DUAL tenant', () => {
  it('shows the Copilot capacity, allocations and pay-as-you-go beside the AI Builder capacity', async () => {
    const c = GetCapacityResponse.fromPartial({
      period: '2026-11',
      capacity: 1_000_000,
      allocated: 1_000_000,
      unassigned: 0,
      allocations: [
        { environmentId: 'invoices', displayName: 'Invoices', credits: 1_000_000, copilotCredits: 20_000 },
        { environmentId: 'dev', displayName: 'Dev', credits: 0, copilotCredits: 5_000 },
      ],
      copilot: { capacity: 50_000, allocated: 25_000, unassigned: 25_000, paygActive: true },
    });
    const r = await capacityAnswer(fakeAnswerContext({ admin: { getCapacity: () => c } }), '');
    expect(r.text).toBe(
      'Acme has 1,000,000 AI Builder credits of capacity in November 2026: 1,000,000 AI Builder credits allocated, 0 AI Builder credits unassigned. ' +
        'It also has 50,000 Copilot Credits: 25,000 Copilot Credits allocated, 25,000 Copilot Credits unassigned, and pay-as-you-go.',
    );
    expect(r.sections.map((s) => s.heading)).toEqual(['AI Builder credits', 'Copilot Credits', 'Allocations']);
    expect(r.sections[1]?.facts).toContainEqual({ label: 'Pay-as-you-go', value: 'active' });
    expect(r.sections[2]?.facts).toEqual([
      { label: 'Invoices (invoices)', value: '1,000,000 AI Builder credits · 20,000 Copilot Credits' },
      { label: 'Dev (dev)', value: '5,000 Copilot Credits' },
    ]);
    const classic = await capacityAnswer(fakeAnswerContext({ admin: { getCapacity: () => GetCapacityResponse.fromPartial({ ...c, copilot: undefined, allocations: [] }) } }), '');
    expect(classic.text).toBe('Acme has 1,000,000 credits of capacity in November 2026: 1,000,000 credits allocated, 0 credits unassigned.');
  });
});

describe('why of a DUAL environment', () => {
  it('explains the stage with both currencies and the DUAL rule', async () => {
    const ctx = fakeAnswerContext({
      reporting: {
        getBalance: () =>
          GetBalanceResponse.fromPartial({
            period: '2026-11',
            available: 10_000,
            consumed: 10_000,
            stage: Stage.STAGE_WARNING,
            environmentDisplayName: 'Production',
            copilot: { consumed: '24000', remaining: '1000', available: '25000', overage: '0' },
          }),
      },
      admin: { getTenant: () => GetTenantResponse.fromPartial({ tenant: { tenantId: 'acme' } }) },
      consumption: { checkAccess: () => CheckAccessResponse.fromPartial({ allowed: true, stage: Stage.STAGE_WARNING, message: 'allowed', copilotRemaining: '1000' }) },
    });
    const r = await whyAnswer(ctx, PROD, 'U1');
    expect(r.text.split('\n')[0]).toBe(
      'Production (prod) is Warning: 10,000 of 10,000 AI Builder credits used (100%); 1,000 of 25,000 Copilot Credits left (24,000 used, 96%). It draws from its own allocation.',
    );
    expect(r.text).toContain('Blocked when neither currency has anything left');
    expect(r.text).toContain('RUN allowed: allowed (Copilot Credits left: 1,000 Copilot Credits)');
    expect(r.sections[2]?.facts).toContainEqual({ label: 'Thresholds', value: 'warning 80% (no grace)' });
    expect(r.sections[2]?.copilotProgress).toEqual({ used: 24_000_000, available: 25_000_000 });
  });
});
