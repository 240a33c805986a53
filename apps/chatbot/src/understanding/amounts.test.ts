import { describe, expect, it } from 'vitest';
import { findAmounts } from './amounts';

const values = (text: string): number[] => findAmounts(text).map((a) => a.value);

describe('findAmounts', () => {
  it.each([
    ['move 5k from dev', [5_000]],
    ['give sales prod 1.2 million more', [1_200_000]],
    ['set dev to 20,000', [20_000]],
    ['set dev to 50 000 credits', [50_000]],
    ['raise hr by 100000', [100_000]],
    ['add 2m', [2_000_000]],
    ['what if we add one capacity add-on', [1]],
    ['a million credits', [1_000_000]],
    ['two packs', [2]],
    ['1.5k', [1_500]],
    ['move 10k from dev to prod and 5k to hr', [10_000, 5_000]],
  ])('%s', (text, expected) => {
    expect(values(text)).toEqual(expected);
  });

  it('ignores digits that are part of names', () => {
    expect(values('balance of env2 and q4-test')).toEqual([]);
  });

  it('reads currencies as money, not credits', () => {
    expect(findAmounts('i need $5k')).toMatchObject([{ value: 5_000, currency: 'USD' }]);
    expect(findAmounts('500 euros more')).toMatchObject([{ value: 500, currency: 'EUR' }]);
    expect(findAmounts('£2m')).toMatchObject([{ value: 2_000_000, currency: 'GBP' }]);
    expect(findAmounts('20,000 credits')[0]?.currency).toBeUndefined();
  });
});
