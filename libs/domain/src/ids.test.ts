import { describe, expect, it } from 'vitest';
import { parseCredits, parseId } from './ids';

describe('parseId', () => {
  it.each(['t1', 'env.prod_01', 'user@contoso.com', 'a:b-c', 'x'.repeat(128)])('accepts %j', (id) => {
    expect(parseId(id, 'tenant_id')).toEqual({ ok: true, value: id });
  });

  it.each([
    ['', /empty/],
    ['x'.repeat(129), /129 characters/],
    ['has space', /only letters/],
    ['semi;colon', /only letters/],
    ['ünïcode', /only letters/],
  ])('refuses %j', (id, why) => {
    const r = parseId(id, 'environment_id');
    expect(r).toMatchObject({ ok: false, error: { category: 'INVALID_ARGUMENT', code: 'REQUEST.INVALID_ID', field: 'environment_id' } });
    if (!r.ok) expect(r.error.message).toMatch(why);
  });
});

describe('parseCredits', () => {
  it.each([0, 1, 1_005_000, Number.MAX_SAFE_INTEGER])('accepts %i', (n) => {
    expect(parseCredits(n, 'credits')).toEqual({ ok: true, value: n });
  });

  it.each([-1, 0.5, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s', (n) => {
    expect(parseCredits(n, 'credits')).toMatchObject({
      ok: false,
      error: { category: 'INVALID_ARGUMENT', code: 'REQUEST.INVALID_CREDITS', field: 'credits' },
    });
  });
});
