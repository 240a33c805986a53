import { describe, expect, it } from 'vitest';
import {
  addDays,
  comparePeriods,
  daysBetween,
  daysInPeriod,
  firstDayOf,
  isPeriod,
  lastDayOf,
  localDateOf,
  nextPeriod,
  parsePeriod,
  parseTimeZone,
  periodEnd,
  periodOf,
  periodOfLocalDate,
  periodStart,
  previousPeriod,
} from './period';

const at = (iso: string): number => Date.parse(iso);
const HOUR = 3_600_000;

describe('isPeriod / parsePeriod', () => {
  it.each([
    ['2026-01', true],
    ['2026-12', true],
    ['2026-00', false],
    ['2026-13', false],
    ['2026-1', false],
    ['26-01', false],
    ['2026-01-01', false],
    ['', false],
  ])('%j -> %s', (value, expected) => {
    expect(isPeriod(value)).toBe(expected);
    expect(parsePeriod(value, 'period').ok).toBe(expected);
  });

  it('names the field on refusal', () => {
    const r = parsePeriod('2026-13', 'first_period');
    expect(r).toMatchObject({ ok: false, error: { category: 'INVALID_ARGUMENT', field: 'first_period' } });
  });

  it('takes well-formed months from 1970-01 to 9998-12 only, whose end is a time the system can hold', () => {
    expect(isPeriod('0001-06')).toBe(true);
    expect(parsePeriod('1970-01', 'period').ok).toBe(true);
    expect(parsePeriod('9998-12', 'period').ok).toBe(true);
    expect(parsePeriod('9999-12', 'period')).toMatchObject({ ok: false, error: { field: 'period', message: 'period must lie in 1970-01..9998-12, got 9999-12' } });
    expect(parsePeriod('0001-06', 'last_period').ok).toBe(false);
  });

  it('quotes at most a short prefix of a malformed value', () => {
    const r = parsePeriod('x'.repeat(100_000), 'period');
    expect(r.ok === false && r.error.message.length).toBeLessThan(120);
  });
});

describe('parseTimeZone', () => {
  it.each([
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['pacific/auckland', 'Pacific/Auckland'],
    ['America/Los_Angeles', 'America/Los_Angeles'],
  ])('%s is canonicalised to %s', (value, canonical) => {
    expect(parseTimeZone(value, 'time_zone')).toEqual({ ok: true, value: canonical });
  });

  it.each(['', 'Mars/Olympus', 'UTC+25'])('refuses %j on the field', (value) => {
    const r = parseTimeZone(value, 'time_zone');
    expect(r).toMatchObject({
      ok: false,
      error: { category: 'INVALID_ARGUMENT', code: 'REQUEST.INVALID_TIME_ZONE', field: 'time_zone' },
    });
  });
});

describe('periodOf', () => {
  it.each([
    // Auckland is UTC+13 in summer: 11:00Z on Nov 30 is already midnight of Dec 1 there.
    ['2026-11-30T10:59:59.999Z', 'Pacific/Auckland', '2026-11'],
    ['2026-11-30T11:00:00.000Z', 'Pacific/Auckland', '2026-12'],
    ['2026-11-30T11:00:00.000Z', 'UTC', '2026-11'],
    // Los Angeles is UTC-8 on Mar 1 (PST): the month starts at 08:00Z.
    ['2026-03-01T07:59:59.999Z', 'America/Los_Angeles', '2026-02'],
    ['2026-03-01T08:00:00.000Z', 'America/Los_Angeles', '2026-03'],
    // ...and UTC-7 on Apr 1 (PDT): 07:00Z.
    ['2026-04-01T06:59:59.999Z', 'America/Los_Angeles', '2026-03'],
    ['2026-04-01T07:00:00.000Z', 'America/Los_Angeles', '2026-04'],
    ['2026-12-31T23:59:59.999Z', 'UTC', '2026-12'],
    ['2027-01-01T00:00:00.000Z', 'UTC', '2027-01'],
    ['2026-12-31T18:30:00.000Z', 'Asia/Kolkata', '2027-01'],
  ])('%s in %s is %s', (iso, zone, period) => {
    expect(periodOf(at(iso), zone)).toBe(period);
  });
});

describe('periodStart / periodEnd', () => {
  it.each([
    ['2026-12', 'Pacific/Auckland', '2026-11-30T11:00:00.000Z', '2026-12-31T11:00:00.000Z'],
    // NZ summer time ends on Apr 5 2026: April starts at +13, May at +12.
    ['2026-04', 'Pacific/Auckland', '2026-03-31T11:00:00.000Z', '2026-04-30T12:00:00.000Z'],
    // NZ summer time starts on Sep 27 2026: October starts at +13.
    ['2026-09', 'Pacific/Auckland', '2026-08-31T12:00:00.000Z', '2026-09-30T11:00:00.000Z'],
    // US DST starts Mar 8 2026 and ends Nov 1 2026.
    ['2026-03', 'America/Los_Angeles', '2026-03-01T08:00:00.000Z', '2026-04-01T07:00:00.000Z'],
    ['2026-11', 'America/Los_Angeles', '2026-11-01T07:00:00.000Z', '2026-12-01T08:00:00.000Z'],
    ['2026-12', 'UTC', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2026-03', 'Asia/Kolkata', '2026-02-28T18:30:00.000Z', '2026-03-31T18:30:00.000Z'],
  ])('%s in %s is [%s, %s)', (period, zone, start, end) => {
    expect(new Date(periodStart(period, zone)).toISOString()).toBe(start);
    expect(new Date(periodEnd(period, zone)).toISOString()).toBe(end);
  });

  it('gives a DST month its true length in hours', () => {
    // March in Los Angeles loses an hour, November gains one.
    const hours = (p: string): number => (periodEnd(p, 'America/Los_Angeles') - periodStart(p, 'America/Los_Angeles')) / HOUR;
    expect(hours('2026-03')).toBe(31 * 24 - 1);
    expect(hours('2026-11')).toBe(30 * 24 + 1);
    expect(hours('2026-06')).toBe(30 * 24);
  });

  it('chains: the end of a period is the start of the next', () => {
    for (const zone of ['Pacific/Auckland', 'America/Los_Angeles', 'Europe/London']) {
      let p = '2025-10';
      for (let i = 0; i < 15; i += 1) {
        expect(periodEnd(p, zone)).toBe(periodStart(nextPeriod(p), zone));
        expect(periodOf(periodStart(p, zone), zone)).toBe(p);
        expect(periodOf(periodEnd(p, zone) - 1, zone)).toBe(p);
        p = nextPeriod(p);
      }
    }
  });

  it('throws on a malformed period (a programming error)', () => {
    expect(() => periodStart('2026-13', 'UTC')).toThrow(/not a period/);
  });
});

describe('period arithmetic', () => {
  it.each([
    ['2026-01', '2026-02', '2025-12'],
    ['2026-12', '2027-01', '2026-11'],
    ['0999-06', '0999-07', '0999-05'],
  ])('around %s', (p, next, prev) => {
    expect(nextPeriod(p)).toBe(next);
    expect(previousPeriod(p)).toBe(prev);
  });

  it.each([
    ['2026-01', '2026-02', -1],
    ['2026-02', '2026-02', 0],
    ['2027-01', '2026-12', 1],
  ])('compare %s %s', (a, b, sign) => {
    expect(Math.sign(comparePeriods(a, b))).toBe(sign);
  });

  it.each([
    ['2024-02', 29],
    ['2026-02', 28],
    ['2100-02', 28],
    ['2000-02', 29],
    ['2026-04', 30],
    ['2026-12', 31],
  ])('%s has %i days', (p, days) => {
    expect(daysInPeriod(p)).toBe(days);
    expect(lastDayOf(p)).toBe(`${p}-${days}`);
    expect(firstDayOf(p)).toBe(`${p}-01`);
  });
});

describe('local dates', () => {
  it('reads the local day in the zone', () => {
    const instant = at('2026-11-30T11:30:00Z');
    expect(localDateOf(instant, 'Pacific/Auckland')).toBe('2026-12-01');
    expect(localDateOf(instant, 'UTC')).toBe('2026-11-30');
    expect(localDateOf(instant, 'America/Los_Angeles')).toBe('2026-11-30');
    expect(localDateOf(at('2026-11-30T07:59:00Z'), 'America/Los_Angeles')).toBe('2026-11-29');
  });

  it.each([
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-03-10', -6, '2026-03-04'],
  ])('%s + %i = %s', (d, n, expected) => {
    expect(addDays(d, n)).toBe(expected);
    expect(daysBetween(d, expected)).toBe(n);
    expect(periodOfLocalDate(expected)).toBe(expected.slice(0, 7));
  });
});
