import { describe, expect, it } from 'vitest';
import { findPeriods, shiftPeriod } from './periods';

const CURRENT = '2026-11';
const first = (text: string): string | undefined => findPeriods(text, CURRENT)[0]?.period;

describe('findPeriods', () => {
  it.each([
    ['usage last month', '2026-10'],
    ['balance of the previous month', '2026-10'],
    ['in october', '2026-10'],
    ['how much did ada use in oct', '2026-10'],
    ['in december', '2025-12'],
    ['top users january 2026', '2026-01'],
    ['2026-09 report', '2026-09'],
    ['balance for 09/2026', '2026-09'],
    ['two months ago', '2026-09'],
    ['this month', ''],
    ['in november', ''],
  ])('%s → %s', (text, period) => {
    expect(first(text)).toBe(period);
  });

  it('marks a future period', () => {
    expect(findPeriods('next month', CURRENT)[0]).toMatchObject({ period: '2026-12', future: true });
  });

  it('does not read "may I" as a month', () => {
    expect(findPeriods('may i see the balance', CURRENT)).toEqual([]);
    expect(first('usage in may')).toBe('2026-05');
  });

  it('finds nothing in a plain question', () => {
    expect(findPeriods('how many credits left in sales prod', CURRENT)).toEqual([]);
  });

  it('shifts across years', () => {
    expect(shiftPeriod('2026-01', -1)).toBe('2025-12');
    expect(shiftPeriod('2026-12', 1)).toBe('2027-01');
  });
});
