import { describe, expect, it } from 'vitest';
import { formatCredits } from './format-credits';
import { ceilDiv, percentOf } from './integer-math';

describe('formatCredits', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1_000, '1,000'],
    [1_300_000, '1,300,000'],
    [-105_000, '-105,000'],
  ])('%i -> %s', (n, s) => {
    expect(formatCredits(n)).toBe(s);
  });
});

describe('integer math', () => {
  it.each([
    [0, 7, 0],
    [7, 7, 1],
    [8, 7, 2],
    [Number.MAX_SAFE_INTEGER, 1000, 9_007_199_254_741],
  ])('ceilDiv(%i, %i) = %i', (a, b, q) => {
    expect(ceilDiv(a, b)).toBe(q);
  });

  it.each([
    [1_300_000, 1_000_000, 130],
    [799_999, 1_000_000, 79],
    [5, 0, 0],
  ])('percentOf(%i, %i) = %i', (part, whole, pct) => {
    expect(percentOf(part, whole)).toBe(pct);
  });
});
