import { describe, expect, it } from 'vitest';
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
});
