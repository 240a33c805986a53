import { describe, expect, it } from 'vitest';
import { formatAmount, formatCopilotCredits, formatMillis, parseMillis } from './copilot-amount';

describe('Copilot amounts in exact thousandths', () => {
  it('formats without float error: ten events of 0.1 are exactly "1"', () => {
    let sum = 0;
    for (let i = 0; i < 10; i += 1) sum += 100;
    expect(formatMillis(sum)).toBe('1');
    expect(formatMillis(7_500)).toBe('7.5');
    expect(formatMillis(100)).toBe('0.1');
    expect(formatMillis(1_234_567)).toBe('1234.567');
    expect(formatMillis(0)).toBe('0');
  });

  it('formats per currency and for people', () => {
    expect(formatAmount('AI_BUILDER', 1_234)).toBe('1234');
    expect(formatAmount('COPILOT', 1_500)).toBe('1.5');
    expect(formatCopilotCredits(25_000_500)).toBe('25,000.5');
  });

  it('parses decimal strings with at most three decimals', () => {
    expect(parseMillis('7.5', 'amount')).toEqual({ ok: true, value: 7_500 });
    expect(parseMillis('25000', 'amount')).toEqual({ ok: true, value: 25_000_000 });
    expect(parseMillis('0.0001', 'amount').ok).toBe(false);
    expect(parseMillis('-1', 'amount').ok).toBe(false);
    expect(parseMillis('1e3', 'amount').ok).toBe(false);
  });
});
