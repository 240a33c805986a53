import { describe, expect, it } from 'vitest';
import type { ReserveRequest } from './reservation';
import { MAX_RESERVATION_TTL_MS, reservationStatusAt, reserve, validateTtl } from './reservation';
import { decideAccess } from './access';
import { sourceLimitStatus, validateSourceLimit } from './source-limit';
import { NOW, periodState } from './test-support/period-state.builders';

const req = (id: string, credits: number, more: Partial<ReserveRequest> = {}): ReserveRequest => ({
  reservationId: id,
  environmentId: 'prod',
  userId: 'u',
  operation: 'RUN',
  sourceId: '',
  credits,
  copilot: null,
  nowMs: NOW,
  ttlMs: 60_000,
  ...more,
});

describe('reservations', () => {
  it('grant exactly the affordable ones: 64 x 100 for the last 1,000 credits gives 10', () => {
    const s = periodState({ capacity: 10_000, allocations: { prod: 10_000 }, usage: { prod: { allocation: 9_000 } } });
    const granted = Array.from({ length: 64 }, (_, i) => reserve(s, req(`r${i}`, 100))).filter((d) => d.allowed);
    expect(granted).toHaveLength(10);
    const last = reserve(s, req('r64', 100));
    expect(last).toMatchObject({ allowed: false, reason: 'QUOTA_EXCEEDED', hold: null });
  });

  it('holds count as consumed for CheckAccess and balances', () => {
    const s = periodState({ capacity: 10_000, allocations: { prod: 1_000 } });
    reserve(s, req('r1', 600));
    expect(decideAccess(s, 'prod', 'u', 'RUN', NOW).remaining).toBe(400);
    expect(s.balanceOf('prod')).toMatchObject({ consumed: 600, remaining: 400 });
  });

  it('expire by themselves: an expired hold no longer counts', () => {
    const s = periodState({ capacity: 10_000, allocations: { prod: 1_000 } });
    reserve(s, req('r1', 1_000));
    expect(reserve(s, req('r2', 1, { nowMs: NOW + 59_999 })).allowed).toBe(false);
    expect(reserve(s, req('r3', 1_000, { nowMs: NOW + 60_000 })).allowed).toBe(true);
    expect(reservationStatusAt({ status: 'HELD', expiresAtMs: NOW + 60_000 }, NOW + 60_000)).toBe('EXPIRED');
    expect(reservationStatusAt({ status: 'COMMITTED', expiresAtMs: NOW }, NOW + 1)).toBe('COMMITTED');
  });

  it('a refused reservation names its reason, as CheckAccess does', () => {
    const s = periodState({ capacity: 0, allocations: {} });
    expect(reserve(s, req('r1', 1))).toMatchObject({ allowed: false, reason: 'ENTITLEMENT_NOT_AVAILABLE' });
  });

  it('ttl: 5 minutes by default, at most 15', () => {
    expect(validateTtl(null)).toEqual({ ok: true, value: 300_000 });
    expect(validateTtl(MAX_RESERVATION_TTL_MS).ok).toBe(true);
    expect(validateTtl(MAX_RESERVATION_TTL_MS + 1).ok).toBe(false);
    expect(validateTtl(0).ok).toBe(false);
  });

  it('released holds free their credits', () => {
    const s = periodState({ capacity: 10_000, allocations: { prod: 1_000 } });
    reserve(s, req('r1', 1_000));
    expect(s.removeHold('r1')).toBe(true);
    expect(s.removeHold('r1')).toBe(false);
    expect(reserve(s, req('r2', 1_000)).allowed).toBe(true);
  });
});

describe('source limits', () => {
  it('refuse a RUN of the source at its cap while the rest of the environment goes on', () => {
    const s = periodState({ capacity: 10_000, allocations: { prod: 10_000 } });
    s.setSourceLimit('prod', 'flow-1', { currency: 'AI_BUILDER', credits: 500 });
    s.record('prod', 'u', [{ source: 'ALLOCATION', credits: 500 }], 'flow-1');
    expect(decideAccess(s, 'prod', 'u', 'RUN', NOW, 'flow-1')).toMatchObject({ allowed: false, reason: 'SOURCE_LIMIT_EXCEEDED' });
    expect(decideAccess(s, 'prod', 'u', 'RUN', NOW, 'flow-2').allowed).toBe(true);
    expect(decideAccess(s, 'prod', 'u', 'RUN', NOW).allowed).toBe(true);
    expect(decideAccess(s, 'prod', 'u', 'TEST', NOW, 'flow-1').allowed).toBe(true);
  });

  it('a reservation may not pass the cap', () => {
    const s = periodState({ capacity: 10_000, allocations: { prod: 10_000 } });
    s.setSourceLimit('prod', 'flow-1', { currency: 'AI_BUILDER', credits: 500 });
    expect(reserve(s, req('r1', 400, { sourceId: 'flow-1' })).allowed).toBe(true);
    expect(reserve(s, req('r2', 101, { sourceId: 'flow-1' }))).toMatchObject({ allowed: false, reason: 'SOURCE_LIMIT_EXCEEDED' });
    expect(reserve(s, req('r3', 100, { sourceId: 'flow-1' })).allowed).toBe(true);
  });

  it('warn at the warning threshold of the cap, exceeded at the cap', () => {
    const cap = { currency: 'AI_BUILDER' as const, credits: 1_000 };
    expect(sourceLimitStatus(cap, 799, 80)).toBe('UNDER');
    expect(sourceLimitStatus(cap, 800, 80)).toBe('WARNING');
    expect(sourceLimitStatus(cap, 1_000, 80)).toBe('EXCEEDED');
    expect(sourceLimitStatus({ currency: 'COPILOT', credits: 1 }, 800, 80)).toBe('WARNING');
  });

  it('0 removes a cap; an empty source is refused', () => {
    expect(validateSourceLimit('flow-1', 0, 'AI_BUILDER')).toEqual({ ok: true, value: null });
    expect(validateSourceLimit('', 5, 'AI_BUILDER').ok).toBe(false);
  });
});
