import type { Result } from './result';
import type { DomainError } from './domain-error';
import type { Currency } from './copilot-amount';
import type { SourceLimit } from './tenant-period-state';
import { ok, err } from './result';
import { domainError } from './domain-error';
import { copilotMillis } from './copilot-amount';

/** Where a source stands against its cap (docs/licensing.md, Source limits). */
export type SourceLimitStatus = 'UNDER' | 'WARNING' | 'EXCEEDED';

/**
 * A source's standing. `consumed` is in the cap's currency (whole AI Builder credits, or Copilot thousandths).
 * EXCEEDED once consumed reaches the cap (the next run would pass it; ours: "past its cap" read as "at or past");
 * WARNING from the tenant's warning threshold of the cap (default 80%).
 */
export function sourceLimitStatus(limit: SourceLimit, consumed: number, warningPercent: number): SourceLimitStatus {
  const cap = limit.currency === 'COPILOT' ? copilotMillis(limit.credits) : limit.credits;
  if (consumed >= cap) return 'EXCEEDED';
  return BigInt(consumed) * 100n >= BigInt(warningPercent) * BigInt(cap) ? 'WARNING' : 'UNDER';
}

/** What is left under the cap, in the cap's currency unit (0 when reached). */
export function sourceLimitRemaining(limit: SourceLimit, consumed: number): number {
  const cap = limit.currency === 'COPILOT' ? copilotMillis(limit.credits) : limit.credits;
  return Math.max(0, cap - consumed);
}

/** Validates SetSourceLimit: a non-empty source, whole credits >= 0 (0 removes the cap). */
export function validateSourceLimit(sourceId: string, credits: number, currency: Currency): Result<SourceLimit | null, DomainError> {
  if (sourceId === '') return err(domainError('INVALID_ARGUMENT', 'SOURCE_LIMIT.NO_SOURCE', 'source is empty', 'source'));
  if (!Number.isSafeInteger(credits) || credits < 0) {
    return err(
      domainError('INVALID_ARGUMENT', 'SOURCE_LIMIT.INVALID_CREDITS', `credits must be a whole number between 0 and ${Number.MAX_SAFE_INTEGER}, got ${credits}`, 'credits'),
    );
  }
  return ok(credits === 0 ? null : { currency, credits });
}
