/**
 * Reports over real gRPC against a real core on FerretDB: the Microsoft consumption-report CSV (trial and paid
 * credits of one day, user and environment on separate rows, CSV escaping, totals equal to GetUsageReport),
 * GetUsageReport grouped by capability (rate-card prices rounded up per event), and GetForecast from a known
 * core clock, including the scheduler's "now" override (RaiseForecastAlerts) judging the period that "now" is in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertKind, DrawSource, UsageGroupBy, type ExportUsageCsvResponse } from '@allot/contracts';
import { startStoryCore, type StoryCore } from './stories/support/story-core';
import { addAddOn, buildTenant } from './stories/support/tenant-builder';
import { consumptionEvent } from './stories/support/consumption-events';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The core's test clock for the whole file (tenants are UTC): Friday 20 November 2026, noon. */
const NOW = '2026-11-20T12:00:00Z';

/** RFC 4180 parser (quoted fields, doubled quotes, commas and newlines inside quotes); enough for the export. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text.charAt(i + 1) === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  expect(quoted, 'unterminated quoted field').toBe(false);
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

async function collect(stream: AsyncIterable<ExportUsageCsvResponse>): Promise<string[]> {
  const chunks: string[] = [];
  for await (const msg of stream) chunks.push(msg.chunk);
  return chunks;
}

/** The domain's forecast, recomputed from the test's own inputs (docs/credit-rules.md, Forecasts: 7 local days up to today, rounded up). */
function expectedForecast(args: { today: string; lastDay: string; consumed: number; available: number; daily: ReadonlyMap<string, number> }) {
  const todayMs = Date.parse(`${args.today}T00:00:00Z`);
  let windowTotal = 0;
  for (let i = 0; i < 7; i += 1) windowTotal += args.daily.get(new Date(todayMs - i * DAY_MS).toISOString().slice(0, 10)) ?? 0;
  const burn = Math.ceil(windowTotal / 7);
  const daysLeft = Math.round((Date.parse(`${args.lastDay}T00:00:00Z`) - todayMs) / DAY_MS);
  const daysUntil = Math.ceil((args.available - args.consumed) / burn);
  const exhaustion = daysUntil <= daysLeft ? new Date(todayMs + daysUntil * DAY_MS).toISOString().slice(0, 10) : '';
  return { windowTotal, burn, projected: args.consumed + burn * daysLeft, exhaustion };
}

describe('reporting over gRPC', () => {
  let sc: StoryCore;
  beforeAll(async () => {
    sc = await startStoryCore();
    const res = await sc.admin.maintenance.setTestClock({ now: new Date(NOW) });
    expect(Math.abs((res.now?.getTime() ?? 0) - Date.parse(NOW))).toBeLessThan(60_000);
  });
  afterAll(async () => {
    await sc?.stop();
  });

  it('exports the consumption CSV with trial and paid credits of one day, user and environment on separate rows', async () => {
    const DEV_NAME = 'Dev, "EU" team';
    const { tenantId } = await buildTenant(sc.admin, {
      name: 'csv',
      environments: [{ id: 'dev', displayName: DEV_NAME }, { id: 'prod', displayName: 'Production' }],
    });
    const record = async (userId: string, environmentId: string, day: string, credits: number, source: DrawSource) => {
      const res = await sc.admin.consumption.recordConsumption(
        consumptionEvent({ tenantId, environmentId, userId, credits, occurredAt: new Date(`${day}T09:30:00Z`) }),
      );
      // The scenario only means something if each event drew where the test says it did.
      expect(res.draws).toEqual([{ source, credits }]);
    };
    // No paid capacity yet: alice draws on her trial.
    await sc.admin.admin.startTrial({ tenantId, userId: 'alice' });
    await record('alice', 'dev', '2026-11-18', 1_000, DrawSource.DRAW_SOURCE_TRIAL);
    await record('alice', 'prod', '2026-11-19', 250, DrawSource.DRAW_SOURCE_TRIAL);
    // Paid capacity from now on: the pool comes before the trial, so the same day, user and environment mixes both.
    await addAddOn(sc.admin, tenantId, 1);
    await record('alice', 'dev', '2026-11-18', 700, DrawSource.DRAW_SOURCE_UNASSIGNED);
    await record('alice', 'dev', '2026-11-18', 45, DrawSource.DRAW_SOURCE_UNASSIGNED);
    await record('bob', 'prod', '2026-11-19', 300, DrawSource.DRAW_SOURCE_UNASSIGNED);
    await record('bob', 'dev', '2026-11-19', 120, DrawSource.DRAW_SOURCE_UNASSIGNED);
    await record('bob', 'prod', '2026-11-18', 60, DrawSource.DRAW_SOURCE_UNASSIGNED);

    const chunks = await collect(sc.admin.reporting.exportUsageCsv({ tenantId, period: '2026-11' }));
    expect(chunks[0]).toBe('Date,UserId,EnvironmentId,EnvironmentName,AIConsumption,IsTrial\n');
    const text = chunks.join('');
    expect(text).toContain('"Dev, ""EU"" team"');
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(['Date', 'UserId', 'EnvironmentId', 'EnvironmentName', 'AIConsumption', 'IsTrial']);
    expect(rows).toEqual([
      ['2026-11-18', 'alice', 'dev', DEV_NAME, '745', 'false'],
      ['2026-11-18', 'alice', 'dev', DEV_NAME, '1000', 'true'],
      ['2026-11-18', 'bob', 'prod', 'Production', '60', 'false'],
      ['2026-11-19', 'alice', 'prod', 'Production', '250', 'true'],
      ['2026-11-19', 'bob', 'dev', DEV_NAME, '120', 'false'],
      ['2026-11-19', 'bob', 'prod', 'Production', '300', 'false'],
    ]);
    expect(rows.map((r) => r[0])).toEqual([...rows.map((r) => r[0])].sort());

    const sum = (isTrial: string | null) =>
      rows.filter((r) => isTrial === null || r[5] === isTrial).reduce((a, r) => a + Number(r[4]), 0);
    const report = await sc.admin.reporting.getUsageReport({
      tenantId,
      period: '2026-11',
      groupBy: UsageGroupBy.USAGE_GROUP_BY_DAY,
      environmentId: '',
      limit: 0,
    });
    expect(report.totalCredits).toBe(2_475);
    expect(sum(null)).toBe(report.totalCredits);
    expect(sum('true')).toBe(report.rows.reduce((a, r) => a + r.trialCredits, 0));
    expect(sum('true')).toBe(1_250);
    expect(sum('false')).toBe(1_225);
  });

  it('groups usage by capability, pricing quantities by the rate card rounded up per event', async () => {
    const { tenantId } = await buildTenant(sc.admin, {
      name: 'caps',
      entitlements: [{ addOnUnits: 1 }],
      environments: [{ id: 'prod', allocation: 10_000 }, { id: 'test' }],
    });
    const send = async (environmentId: string, capability: string, quantity: number, credits?: number) =>
      (await sc.admin.consumption.recordConsumption(consumptionEvent({ tenantId, environmentId, capability, quantity, credits, occurredAt: new Date(Date.parse(NOW) - 60 * 60 * 1000) }))).credits;
    // prompt-basic-input: 1 credit per 1,000 tokens; 1,500 tokens = 1.5, rounded up to 2 per event (3 events: 6, not 5).
    for (let i = 0; i < 3; i += 1) expect(await send('prod', 'prompt-basic-input', 1_500)).toBe(2);
    // prompt-standard-input: 20 per 1,000 tokens; 2,501 tokens = 50.02, rounded up to 51.
    expect(await send('test', 'prompt-standard-input', 2_501)).toBe(51);
    // prompt-basic-output: 3 per 1,000 tokens; 400 tokens = 1.2, rounded up to 2 (2 events: 4).
    expect(await send('prod', 'prompt-basic-output', 400)).toBe(2);
    expect(await send('test', 'prompt-basic-output', 400)).toBe(2);
    // A plain credits event has no capability.
    expect(await send('prod', '', 0, 100)).toBe(100);

    const report = await sc.admin.reporting.getUsageReport({
      tenantId,
      period: '',
      groupBy: UsageGroupBy.USAGE_GROUP_BY_CAPABILITY,
      environmentId: '',
      limit: 0,
    });
    expect(report.period).toBe('2026-11');
    expect(report.groupBy).toBe(UsageGroupBy.USAGE_GROUP_BY_CAPABILITY);
    const row = (key: string, label: string, credits: number, events: number) => ({ key, label, credits, events, trialCredits: 0, overageCredits: 0 });
    // Largest first.
    expect(report.rows).toEqual([
      row('', 'credits (no capability)', 100, 1),
      row('prompt-standard-input', 'prompt-standard-input', 51, 1),
      row('prompt-basic-input', 'prompt-basic-input', 6, 3),
      row('prompt-basic-output', 'prompt-basic-output', 4, 2),
    ]);
    expect(report.totalCredits).toBe(161);
    expect(report.totalEvents).toBe(7);

    const prodOnly = await sc.admin.reporting.getUsageReport({
      tenantId,
      period: '',
      groupBy: UsageGroupBy.USAGE_GROUP_BY_CAPABILITY,
      environmentId: 'prod',
      limit: 2,
    });
    expect(prodOnly.rows).toEqual([row('', 'credits (no capability)', 100, 1), row('prompt-basic-input', 'prompt-basic-input', 6, 3)]);
    // Totals cover every row of the scope, not only the ones the limit kept: 100 + 6 + 2 in 5 events.
    expect(prodOnly.totalCredits).toBe(108);
    expect(prodOnly.totalEvents).toBe(5);
  });

  describe('forecast from a known clock', () => {
    const ALLOCATION = 5_000;
    /** Credits per day in 'prod' (UTC days). 13 November is outside the 7-day window (14 to 20 November). */
    const DAILY = new Map<string, number>([
      ['2026-11-02', 1_000],
      ['2026-11-13', 500],
      ['2026-11-14', 300],
      ['2026-11-15', 200],
      ['2026-11-16', 400],
      ['2026-11-17', 100],
      ['2026-11-18', 250],
      ['2026-11-19', 350],
      ['2026-11-20', 102],
    ]);
    const consumed = [...DAILY.values()].reduce((a, b) => a + b, 0);
    const expected = expectedForecast({ today: '2026-11-20', lastDay: '2026-11-30', consumed, available: ALLOCATION, daily: DAILY });
    let tenantId = '';

    beforeAll(async () => {
      tenantId = (
        await buildTenant(sc.admin, {
          name: 'forecast',
          entitlements: [{ addOnUnits: 1, firstPeriod: '2026-11' }],
          environments: [{ id: 'prod', displayName: 'Production', allocation: ALLOCATION }],
        })
      ).tenantId;
      for (const [day, credits] of DAILY) {
        // Today's event happened this morning, before the clock's noon.
        const res = await sc.admin.consumption.recordConsumption(
          consumptionEvent({ tenantId, environmentId: 'prod', userId: 'dana', credits, occurredAt: new Date(`${day}T08:00:00Z`) }),
        );
        expect(res.period).toBe('2026-11');
      }
    });

    it('projects the 7-day burn rate (rounded up) to the period end', async () => {
      // The inputs were chosen so that the rounding and the window edge both matter.
      expect(consumed).toBe(3_202);
      expect(expected).toEqual({ windowTotal: 1_702, burn: 244, projected: 3_202 + 244 * 10, exhaustion: '2026-11-28' });

      const f = await sc.admin.reporting.getForecast({ tenantId, environmentId: 'prod' });
      expect(f).toMatchObject({
        period: '2026-11',
        consumed,
        available: ALLOCATION,
        burnRatePerDay: expected.burn,
        projectedConsumed: expected.projected,
        projectedExhaustionDate: expected.exhaustion,
        runsOutBeforePeriodEnd: true,
      });
      expect(f.periodEndsAt?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    });

    it('judges the period of the scheduler\'s "now", not of the core clock, when raising forecast alerts', async () => {
      // The core clock moves into December (November still accepts late events); the scheduler catches up on 20 Nov.
      await sc.admin.maintenance.setTestClock({ now: new Date('2026-12-01T06:00:00Z') });
      const december = await sc.admin.reporting.getForecast({ tenantId, environmentId: 'prod' });
      expect(december).toMatchObject({ period: '2026-12', consumed: 0, burnRatePerDay: 0, runsOutBeforePeriodEnd: false });

      const { raised } = await sc.admin.maintenance.raiseForecastAlerts({ tenantId, now: new Date(NOW) });
      expect(raised).toBe(1);
      const { alerts } = await sc.admin.alerts.listAlerts({ tenantId, afterCursor: 0, limit: 100 });
      const forecastAlerts = alerts.filter((a) => a.kind === AlertKind.ALERT_KIND_FORECAST_EXHAUSTION);
      expect(forecastAlerts).toHaveLength(1);
      expect(forecastAlerts[0]).toMatchObject({
        cause: 'forecast:prod:2026-11',
        environmentId: 'prod',
        period: '2026-11',
        consumed,
        available: ALLOCATION,
      });
      // The figures in the text are those of 20 November's forecast, not a mix of December and November.
      expect(forecastAlerts[0]?.title).toContain(expected.exhaustion);
      expect(forecastAlerts[0]?.message).toContain(`at ${expected.burn} credits a day`);
      expect(forecastAlerts[0]?.message).toContain(`(projected ${expected.projected})`);
    });
  });
});
