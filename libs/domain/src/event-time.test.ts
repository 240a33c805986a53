import { describe, expect, it } from 'vitest';
import { LATE_EVENT_GRACE_MS, MAX_FUTURE_SKEW_MS, periodForEvent } from './event-time';

const at = (iso: string): number => Date.parse(iso);
const MIN = 60_000;
const HOUR = 3_600_000;

describe('periodForEvent', () => {
  it('has the limits of docs/credit-rules.md: 5 minutes ahead, 72 hours late', () => {
    expect(MAX_FUTURE_SKEW_MS).toBe(5 * MIN);
    expect(LATE_EVENT_GRACE_MS).toBe(72 * HOUR);
  });

  it('puts an event in the period of its own time in the tenant zone', () => {
    const now = at('2026-12-01T02:00:00Z');
    expect(periodForEvent(at('2026-11-30T11:30:00Z'), now, 'Pacific/Auckland')).toEqual({ ok: true, value: '2026-12' });
    expect(periodForEvent(at('2026-11-30T11:30:00Z'), now, 'UTC')).toEqual({ ok: true, value: '2026-11' });
  });

  it('accepts up to 5 minutes in the future and refuses beyond on occurred_at', () => {
    const now = at('2026-11-15T12:00:00Z');
    expect(periodForEvent(now + 5 * MIN, now, 'UTC').ok).toBe(true);
    const r = periodForEvent(now + 5 * MIN + 1000, now, 'UTC');
    expect(r).toMatchObject({ ok: false, error: { category: 'INVALID_ARGUMENT', code: 'CONSUMPTION.IN_FUTURE', field: 'occurred_at' } });
    if (!r.ok) expect(r.error.message).toContain('301 s');
  });

  it('accepts a late event into a closed period for 72 hours after it ends', () => {
    // 2026-10 in Los Angeles ends at 2026-11-01T07:00Z (PDT).
    const end = at('2026-11-01T07:00:00Z');
    const occurred = at('2026-10-31T20:00:00Z');
    expect(periodForEvent(occurred, end + 72 * HOUR, 'America/Los_Angeles')).toEqual({ ok: true, value: '2026-10' });
    const r = periodForEvent(occurred, end + 72 * HOUR + 1, 'America/Los_Angeles');
    expect(r).toMatchObject({
      ok: false,
      error: { category: 'FAILED_PRECONDITION', code: 'CONSUMPTION.PERIOD_CLOSED', field: 'occurred_at' },
    });
    if (!r.ok) {
      expect(r.error.message).toContain('2026-10');
      expect(r.error.message).toContain('2026-11-01T07:00:00.000Z');
      expect(r.error.message).toContain('72 h');
    }
  });

  it('judges lateness by the zone: the same instant is still open in Auckland but closed in UTC', () => {
    // 2026-11-30T10:00Z: still November in Auckland (ends 11:00Z) and in UTC (ends Dec 1 00:00Z)...
    const occurred = at('2026-11-30T10:00:00Z');
    // ...now is 72 h + 30 min after the Auckland end, but less than 72 h after the UTC end.
    const now = at('2026-12-03T11:30:00Z');
    expect(periodForEvent(occurred, now, 'Pacific/Auckland').ok).toBe(false);
    expect(periodForEvent(occurred, now, 'UTC')).toEqual({ ok: true, value: '2026-11' });
  });

  it('refuses a time that is not a number', () => {
    expect(periodForEvent(Number.NaN, 0, 'UTC')).toMatchObject({ ok: false, error: { field: 'occurred_at' } });
  });
});
