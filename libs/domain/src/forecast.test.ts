import { describe, expect, it } from 'vitest';
import type { ForecastInput } from './forecast';
import { forecast } from './forecast';

const at = (iso: string): number => Date.parse(iso);

/** Daily map for days first..last of 2026-11 at a flat amount. */
const flat = (first: number, last: number, credits: number, month = '2026-11'): Map<string, number> => {
  const m = new Map<string, number>();
  for (let d = first; d <= last; d += 1) m.set(`${month}-${String(d).padStart(2, '0')}`, credits);
  return m;
};

const input = (over: Partial<ForecastInput>): ForecastInput => ({
  period: '2026-11',
  timeZone: 'UTC',
  nowMs: at('2026-11-10T12:00:00Z'),
  consumed: 100_000,
  available: 200_000,
  daily: flat(1, 10, 10_000),
  ...over,
});

describe('forecast', () => {
  it('projects the 7-day burn rate to the period end and dates the exhaustion', () => {
    expect(forecast(input({}))).toEqual({
      burnRatePerDay: 10_000,
      // 20 whole days after Nov 10.
      projectedConsumed: 300_000,
      // 100,000 + 10 x 10,000 reaches 200,000 on Nov 20.
      projectedExhaustionDate: '2026-11-20',
      runsOutBeforePeriodEnd: true,
      periodEndsAtMs: at('2026-12-01T00:00:00Z'),
    });
  });

  it('averages only the last 7 days, today included', () => {
    const daily = flat(1, 13, 100_000);
    for (const [day, credits] of flat(14, 20, 1_000)) daily.set(day, credits);
    const f = forecast(input({ nowMs: at('2026-11-20T08:00:00Z'), consumed: 1_307_000, available: 5_000_000, daily }));
    expect(f.burnRatePerDay).toBe(1_000);
    expect(f.projectedConsumed).toBe(1_317_000);
    expect(f.projectedExhaustionDate).toBeNull();
    expect(f.runsOutBeforePeriodEnd).toBe(false);
  });

  it('averages over fewer days in a young period and rounds up', () => {
    const daily = new Map([
      ['2026-11-01', 3_000],
      ['2026-11-03', 3_001],
    ]);
    // 6,001 over 3 days = 2,000.33 -> 2,001.
    const f = forecast(input({ nowMs: at('2026-11-03T23:00:00Z'), consumed: 6_001, available: 1_000_000, daily }));
    expect(f.burnRatePerDay).toBe(2_001);
    expect(f.projectedConsumed).toBe(6_001 + 2_001 * 27);
  });

  it('rounds a 7-day average up to a whole credit', () => {
    const f = forecast(input({ daily: new Map([['2026-11-10', 7_001]]) }));
    expect(f.burnRatePerDay).toBe(1_001);
  });

  it('dates exhaustion on the last day when it lands there', () => {
    // 20 days x 5,000 = 100,000 exactly by Nov 30.
    const f = forecast(input({ daily: flat(4, 10, 5_000), available: 200_000 }));
    expect(f).toMatchObject({ burnRatePerDay: 5_000, projectedConsumed: 200_000, projectedExhaustionDate: '2026-11-30', runsOutBeforePeriodEnd: true });
    // One credit more available and it lasts the month.
    expect(forecast(input({ daily: flat(4, 10, 5_000), available: 200_001 })).projectedExhaustionDate).toBeNull();
  });

  it('never runs out at a burn rate of 0', () => {
    const f = forecast(input({ daily: new Map(), consumed: 100_000 }));
    expect(f).toMatchObject({ burnRatePerDay: 0, projectedConsumed: 100_000, projectedExhaustionDate: null, runsOutBeforePeriodEnd: false });
  });

  it('is already exhausted today with nothing available and something consumed', () => {
    expect(forecast(input({ available: 0, consumed: 500 }))).toMatchObject({ projectedExhaustionDate: '2026-11-10', runsOutBeforePeriodEnd: true });
    expect(forecast(input({ available: 100_000, consumed: 100_000, daily: new Map() })).projectedExhaustionDate).toBe('2026-11-10');
    expect(forecast(input({ available: 0, consumed: 0, daily: new Map() })).projectedExhaustionDate).toBeNull();
  });

  it('counts days in the tenant zone (Auckland: 11:30Z on Nov 30 is Dec 1)', () => {
    const f = forecast({
      period: '2026-12',
      timeZone: 'Pacific/Auckland',
      nowMs: at('2026-11-30T11:30:00Z'),
      consumed: 5_000,
      available: 100_000,
      daily: new Map([
        ['2026-11-30', 999_999], // the previous period: not in the window
        ['2026-12-01', 5_000],
      ]),
    });
    expect(f).toEqual({
      burnRatePerDay: 5_000,
      projectedConsumed: 5_000 + 5_000 * 30,
      // 95,000 left at 5,000 a day: 19 days after Dec 1.
      projectedExhaustionDate: '2026-12-20',
      runsOutBeforePeriodEnd: true,
      periodEndsAtMs: at('2026-12-31T11:00:00Z'),
    });
  });

  it('forecasts a closed period as of its last day', () => {
    const f = forecast(input({ nowMs: at('2026-12-02T00:00:00Z'), daily: flat(24, 30, 1_000), consumed: 150_000 }));
    expect(f).toMatchObject({ burnRatePerDay: 1_000, projectedConsumed: 150_000, projectedExhaustionDate: null });
  });

  it('has no burn before the period begins', () => {
    const f = forecast(input({ nowMs: at('2026-10-20T00:00:00Z'), consumed: 0, daily: new Map() }));
    expect(f).toMatchObject({ burnRatePerDay: 0, projectedConsumed: 0, projectedExhaustionDate: null });
  });
});
