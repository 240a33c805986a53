import type { Result } from './result';
import type { DomainError } from './domain-error';
import { ok, err } from './result';
import { domainError } from './domain-error';

export interface CapacitySummary {
  readonly capacity: number;
  readonly allocated: number;
  /** Capacity - allocated, never below 0. */
  readonly unassigned: number;
  readonly overAllocated: boolean;
  /** allocated - capacity when over-allocated, else 0. */
  readonly overAllocatedBy: number;
}

const sumOf = (allocations: ReadonlyMap<string, number>): number => {
  let total = 0;
  for (const credits of allocations.values()) total += credits;
  return total;
};

const summarize = (capacity: number, allocated: number): CapacitySummary => ({
  capacity,
  allocated,
  unassigned: Math.max(0, capacity - allocated),
  overAllocated: allocated > capacity,
  overAllocatedBy: Math.max(0, allocated - capacity),
});

export function summarizeCapacity(capacity: number, allocations: ReadonlyMap<string, number>): CapacitySummary {
  return summarize(capacity, sumOf(allocations));
}

/**
 * Checks setting environmentId's allocation to credits (0 removes it). Refused when the new sum would exceed
 * capacity: FAILED_PRECONDITION 'ALLOCATION.EXCEEDS_CAPACITY', message naming what is free, e.g.
 * "only 105000 credits unassigned". Lowering an allocation is always allowed, even when over-allocated.
 * Negative or non-integer credits: INVALID_ARGUMENT on 'credits'.
 * On success returns the summary as it will be after the change.
 */
export function checkAllocationChange(
  capacity: number,
  allocations: ReadonlyMap<string, number>,
  environmentId: string,
  credits: number,
): Result<CapacitySummary, DomainError> {
  if (!Number.isSafeInteger(credits) || credits < 0) {
    return err(
      domainError(
        'INVALID_ARGUMENT',
        'ALLOCATION.INVALID_CREDITS',
        `credits must be a whole number between 0 and ${Number.MAX_SAFE_INTEGER}, got ${credits}`,
        'credits',
      ),
    );
  }
  const current = allocations.get(environmentId) ?? 0;
  const others = sumOf(allocations) - current;
  const after = summarize(capacity, others + credits);
  // Lowering never makes things worse, and it is how an admin repairs an over-allocated tenant.
  if (credits <= current || others + credits <= capacity) return ok(after);
  const unassigned = Math.max(0, capacity - others - current);
  const mostForThis = Math.max(0, capacity - others);
  return err(
    domainError(
      'FAILED_PRECONDITION',
      'ALLOCATION.EXCEEDS_CAPACITY',
      `cannot allocate ${credits} credits to ${environmentId}: only ${unassigned} credits unassigned ` +
        `(capacity ${capacity}, allocated ${others + current}); ${environmentId} can have at most ${mostForThis}`,
      'credits',
    ),
  );
}
