import type { Result } from './result';
import type { DomainError } from './domain-error';
import { ok, err } from './result';
import { domainError } from './domain-error';

/**
 * Copilot Credits are exact decimals (docs/licensing.md, Two currencies). They are held as whole thousandths of a
 * Copilot Credit ("millis"): every rate of the Copilot rate card (0.1, 1.5, 10, 8) is a whole number of
 * thousandths, so sums never carry float error. Admin-set amounts (allocations, packs, budgets) are whole Copilot
 * Credits and are multiplied by 1,000 when they meet usage.
 */
export type Currency = 'AI_BUILDER' | 'COPILOT';

export const MILLIS_PER_COPILOT_CREDIT = 1_000;

/** Whole Copilot Credits -> thousandths. */
export const copilotMillis = (wholeCredits: number): number => wholeCredits * MILLIS_PER_COPILOT_CREDIT;

/** Thousandths -> the exact decimal string of the wire: 7500 -> "7.5", 100 -> "0.1", 25000000 -> "25000". */
export function formatMillis(millis: number): string {
  const sign = millis < 0 ? '-' : '';
  const abs = BigInt(Math.abs(millis));
  const whole = abs / 1000n;
  const frac = abs % 1000n;
  if (frac === 0n) return `${sign}${whole}`;
  return `${sign}${whole}.${frac.toString().padStart(3, '0').replace(/0+$/, '')}`;
}

/** A wire amount of a currency: AI Builder credits are whole ("1234"), Copilot Credits decimal ("7.5"). */
export const formatAmount = (currency: Currency, amount: number): string =>
  currency === 'COPILOT' ? formatMillis(amount) : String(amount);

/** Copilot Credits for people: "25,000.5". */
export function formatCopilotCredits(millis: number): string {
  const [whole = '0', frac] = formatMillis(millis).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** "7.5" -> 7500. At most three decimals, not negative, within 2^53-1 thousandths; INVALID_ARGUMENT otherwise. */
export function parseMillis(text: string, field: string): Result<number, DomainError> {
  const m = /^(\d{1,16})(?:\.(\d{1,3}))?$/.exec(text);
  if (m === null) {
    return err(
      domainError('INVALID_ARGUMENT', 'AMOUNT.INVALID_DECIMAL', `${field} must be a decimal like "7.5" with at most 3 decimals, got ${JSON.stringify(text)}`, field),
    );
  }
  const value = BigInt(m[1] ?? '0') * 1000n + BigInt((m[2] ?? '').padEnd(3, '0'));
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    return err(domainError('INVALID_ARGUMENT', 'AMOUNT.TOO_LARGE', `${field} ${text} is too large`, field));
  }
  return ok(Number(value));
}
