import { describe, expect, it } from 'vitest';
import { CopilotBalance } from '@allot/contracts';
import { barsText, copilotAmount, copilotCredits, copilotLeftSentence, copilotLeftShort, wireMillis, copilotProgress, sectionBars } from './copilot-format';

describe('Copilot amounts', () => {
  it.each([
    ['7.5', 7_500],
    ['0.1', 100],
    ['25000', 25_000_000],
    ['8450.125', 8_450_125],
    // The core never sends a negative amount: one is not read as a number.
    ['-2.5', undefined],
    ['', undefined],
    ['1e3', undefined],
    ['1.2345', undefined],
    [undefined, undefined],
  ])('%s is %s thousandths', (text, millis) => {
    expect(wireMillis(text)).toBe(millis);
  });

  it('reads for people with separators and the exact decimals', () => {
    expect(copilotAmount('8450.5')).toBe('8,450.5');
    expect(copilotAmount('1234567.891')).toBe('1,234,567.891');
    expect(copilotAmount('0.100')).toBe('0.1');
    expect(copilotAmount('n/a')).toBe('n/a');
    expect(copilotCredits('1')).toBe('1 Copilot Credit');
    expect(copilotCredits('1.5')).toBe('1.5 Copilot Credits');
    expect(copilotCredits('25000')).toBe('25,000 Copilot Credits');
  });
});

describe('Copilot balance words', () => {
  const limited = CopilotBalance.fromPartial({ consumed: '16549.5', remaining: '8450.5', available: '25000' });
  const unlimited = CopilotBalance.fromPartial({ consumed: '12.3', unlimited: true });

  it('says what is left of what, or that pay-as-you-go has no limit', () => {
    expect(copilotLeftSentence(limited)).toBe('8,450.5 of 25,000 Copilot Credits left (16,549.5 used, 66%)');
    expect(copilotLeftShort(limited)).toBe('8,450.5 of 25,000 left (16,549.5 used, 66%)');
    expect(copilotLeftSentence(unlimited)).toBe('12.3 Copilot Credits used (pay-as-you-go, no limit)');
    expect(copilotLeftShort(unlimited)).toBe('pay-as-you-go, no limit (12.3 used)');
    expect(copilotLeftSentence(CopilotBalance.fromPartial({ consumed: '5', remaining: '0', available: '0' }))).toBe('0 of 0 Copilot Credits left (5 used)');
  });

  it('draws a bar only with a limit', () => {
    expect(copilotProgress(limited)).toEqual({ used: 16_549_500, available: 25_000_000 });
    expect(copilotProgress(unlimited)).toBeUndefined();
  });
});

describe('bars of a section', () => {
  it('labels both currencies side by side, and leaves a lone bar as it was', () => {
    expect(sectionBars({ progress: { used: 60, available: 100 } })).toEqual([{ used: 60, available: 100 }]);
    expect(barsText({ progress: { used: 60, available: 100 } })).toBe('▓▓▓▓▓▓░░░░ 60%');
    expect(barsText({ progress: { used: 88, available: 100 }, copilotProgress: { used: 16_549_500, available: 25_000_000 } })).toBe(
      'AI Builder credits ▓▓▓▓▓▓▓▓░░ 88%\nCopilot Credits ▓▓▓▓▓▓░░░░ 66%',
    );
    expect(barsText({ copilotProgress: { used: 500, available: 1_000 } })).toBe('Copilot Credits ▓▓▓▓▓░░░░░ 50%');
  });
});
