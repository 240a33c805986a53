import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalTimeZone, startOfLocalDay, wallClockOf } from './zoned-clock';

describe('startOfLocalDay', () => {
  it('is local midnight on an ordinary day', () => {
    expect(new Date(startOfLocalDay(2026, 9, 5, 'America/Santiago')).toISOString()).toBe('2026-09-05T04:00:00.000Z');
  });

  it('is the instant of the jump when DST skips midnight (Santiago, 2026-09-06 00:00 -> 01:00)', () => {
    const start = startOfLocalDay(2026, 9, 6, 'America/Santiago');
    expect(new Date(start).toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(wallClockOf(start, 'America/Santiago')).toMatchObject({ day: 6, hour: 1, minute: 0 });
    expect(wallClockOf(start - 1000, 'America/Santiago')).toMatchObject({ day: 5, hour: 23, minute: 59 });
  });

  it('takes the single midnight after a fall-back at local midnight (Santiago, 2026-04-05)', () => {
    expect(new Date(startOfLocalDay(2026, 4, 5, 'America/Santiago')).toISOString()).toBe('2026-04-05T04:00:00.000Z');
  });
});

describe('wallClockOf', () => {
  it('reads midnight as hour 0, not 24', () => {
    expect(wallClockOf(Date.parse('2026-01-01T00:00:00Z'), 'UTC')).toEqual({
      year: 2026,
      month: 1,
      day: 1,
      hour: 0,
      minute: 0,
      second: 0,
    });
  });

  it('knows unknown zones', () => {
    expect(canonicalTimeZone('Nowhere/City')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
  });

  it('reads every instant as the zone database does, inside and outside the days it remembers (DST days too)', () => {
    const zones = ['UTC', 'America/Santiago', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns', 'Asia/Beirut', 'Pacific/Apia'];
    const reference = (ms: number, timeZone: string) => {
      const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
      const parts = Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, p.value]));
      return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
    };
    const from = Date.parse('2010-01-01T00:00:00Z');
    const to = Date.parse('2030-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: from, max: to }), fc.array(fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }), { maxLength: 20 }), (zone, at, steps) => {
        // Instants near each other: most fall in a remembered day, some across a day or a DST change.
        for (const ms of [at, ...steps.map((s) => at + s)]) expect(wallClockOf(ms, zone)).toEqual(reference(ms, zone));
      }),
      { numRuns: 400 },
    );
    // Around every DST change of a year in Santiago and Berlin, second by second near the jump.
    for (const zone of ['America/Santiago', 'Europe/Berlin']) {
      for (let ms = Date.parse('2026-01-01T00:00:00Z'); ms < Date.parse('2027-01-01T00:00:00Z'); ms += 3_600_000) {
        if (reference(ms, zone).hour === reference(ms + 3_600_000, zone).hour - 1 || (reference(ms, zone).hour === 23 && reference(ms + 3_600_000, zone).hour === 0)) continue;
        for (let s = -7_200_000; s <= 7_200_000; s += 1_000 * 61) expect(wallClockOf(ms + s, zone)).toEqual(reference(ms + s, zone));
      }
    }
  });
});
