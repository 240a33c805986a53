import { describe, expect, it } from 'vitest';
import type { TrialState } from './trial';
import {
  MAX_TRIAL_EXTENSIONS,
  TRIAL_CREDITS,
  TRIAL_DAYS,
  extendTrial,
  startTrial,
  trialRemaining,
  trialRemindersDue,
  trialStatusAt,
} from './trial';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-01T09:00:00Z');

const started = (): TrialState => {
  const r = startTrial({ userId: 'u1', nowMs: T0, hasPaidCapacity: false, allowUnassigned: true, existing: undefined });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('startTrial', () => {
  it('gives 200,000 credits for 30 days', () => {
    expect(TRIAL_CREDITS).toBe(200_000);
    expect(TRIAL_DAYS).toBe(30);
    expect(started()).toEqual({
      userId: 'u1',
      credits: 200_000,
      consumed: 0,
      startedAtMs: T0,
      expiresAtMs: T0 + 30 * DAY,
      extensions: 0,
      status: 'ACTIVE',
    });
  });

  it('is refused when the tenant has paid capacity', () => {
    const r = startTrial({ userId: 'u1', nowMs: T0, hasPaidCapacity: true, allowUnassigned: true, existing: undefined });
    expect(r).toMatchObject({ ok: false, error: { category: 'FAILED_PRECONDITION', code: 'TRIAL.PAID_CAPACITY' } });
  });

  it('is refused when allow_unassigned is false', () => {
    const r = startTrial({ userId: 'u1', nowMs: T0, hasPaidCapacity: false, allowUnassigned: false, existing: undefined });
    expect(r).toMatchObject({ ok: false, error: { category: 'FAILED_PRECONDITION', code: 'TRIAL.UNASSIGNED_DISALLOWED' } });
  });

  it('is refused while the user has an active trial', () => {
    const existing = { ...started(), consumed: 50_000 };
    const r = startTrial({ userId: 'u1', nowMs: T0 + DAY, hasPaidCapacity: false, allowUnassigned: true, existing });
    expect(r).toMatchObject({ ok: false, error: { category: 'ALREADY_EXISTS', code: 'TRIAL.EXISTS' } });
    if (!r.ok) expect(r.error.message).toContain('150000 of 200000');
  });

  it('extends an expired trial instead of starting a new one', () => {
    const later = T0 + 31 * DAY;
    const r = startTrial({ userId: 'u1', nowMs: later, hasPaidCapacity: false, allowUnassigned: true, existing: started() });
    expect(r).toMatchObject({ ok: true, value: { extensions: 1, consumed: 0, expiresAtMs: later + 30 * DAY } });
  });
});

describe('trialStatusAt / trialRemaining', () => {
  it.each([
    ['fresh', 0, 0, 'ACTIVE', 200_000],
    ['part used', 15 * DAY, 150_000, 'ACTIVE', 50_000],
    ['one ms before expiry', 30 * DAY - 1, 199_999, 'ACTIVE', 1],
    ['at expiry', 30 * DAY, 0, 'EXPIRED', 0],
    ['used up', 10 * DAY, 200_000, 'EXHAUSTED', 0],
    ['expired and used up', 31 * DAY, 200_000, 'EXPIRED', 0],
  ] as const)('%s', (_name, elapsed, consumed, status, remaining) => {
    const t = { ...started(), consumed };
    expect(trialStatusAt(t, T0 + elapsed)).toBe(status);
    expect(trialRemaining(t, T0 + elapsed)).toBe(remaining);
  });

  it('derives the status whatever was stored', () => {
    const t: TrialState = { ...started(), status: 'EXHAUSTED' };
    expect(trialStatusAt(t, T0 + DAY)).toBe('ACTIVE');
  });
});

describe('extendTrial', () => {
  it('gives a fresh 200,000 for 30 days from now, twice at most', () => {
    expect(MAX_TRIAL_EXTENSIONS).toBe(2);
    const first = started();
    const t1 = T0 + 30 * DAY;
    const r1 = extendTrial({ ...first, consumed: 120_000 }, t1);
    expect(r1).toEqual({
      ok: true,
      value: { ...first, credits: 200_000, consumed: 0, startedAtMs: t1, expiresAtMs: t1 + 30 * DAY, extensions: 1, status: 'ACTIVE' },
    });
    if (!r1.ok) return;
    // Second: exhausted before expiry.
    const t2 = t1 + 5 * DAY;
    const r2 = extendTrial({ ...r1.value, consumed: 200_000 }, t2);
    expect(r2).toMatchObject({ ok: true, value: { extensions: 2, consumed: 0, expiresAtMs: t2 + 30 * DAY } });
    if (!r2.ok) return;
    const r3 = extendTrial(r2.value, t2 + 31 * DAY);
    expect(r3).toMatchObject({ ok: false, error: { category: 'FAILED_PRECONDITION', code: 'TRIAL.EXTENSIONS_EXHAUSTED' } });
    if (!r3.ok) expect(r3.error.message).toContain('extended 2 times');
  });

  it('refuses to extend an active trial, or a missing one', () => {
    expect(extendTrial(started(), T0 + DAY)).toMatchObject({ ok: false, error: { code: 'TRIAL.STILL_ACTIVE' } });
    expect(extendTrial(undefined, T0)).toMatchObject({ ok: false, error: { category: 'NOT_FOUND', code: 'TRIAL.NOT_FOUND' } });
  });

  it('leaves the state passed in untouched', () => {
    const t = { ...started(), consumed: 200_000 };
    extendTrial(t, T0 + DAY);
    expect(t.consumed).toBe(200_000);
    expect(t.extensions).toBe(0);
  });
});

describe('trialRemindersDue', () => {
  it.each([
    ['23 days before expiry', 7 * DAY, []],
    ['more than 7 days left', 22 * DAY, []],
    ['exactly 7 days left', 23 * DAY, ['7d']],
    ['3 days left', 27 * DAY, ['7d']],
    ['exactly 1 day left', 29 * DAY, ['7d', '1d']],
    ['one hour left', 30 * DAY - 3_600_000, ['7d', '1d']],
    ['expired', 30 * DAY, []],
  ])('%s', (_name, elapsed, due) => {
    expect(trialRemindersDue(started(), T0 + elapsed)).toEqual(due);
  });

  it('sends none for an exhausted trial', () => {
    expect(trialRemindersDue({ ...started(), consumed: 200_000 }, T0 + 29 * DAY)).toEqual([]);
  });
});
