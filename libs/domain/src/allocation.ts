import type { Result } from './result';
import type { DomainError } from './domain-error';

export interface CapacitySummary {
  readonly capacity: number;
  readonly allocated: number;
  /** Capacity - allocated, never below 0. */
  readonly unassigned: number;
  readonly overAllocated: boolean;
  /** allocated - capacity when over-allocated, else 0. */
  readonly overAllocatedBy: number;
}

export declare function summarizeCapacity(capacity: number, allocations: ReadonlyMap<string, number>): CapacitySummary;

/**
 * Checks setting environmentId's allocation to credits (0 removes it). Refused when the new sum would exceed
 * capacity: FAILED_PRECONDITION 'ALLOCATION.EXCEEDS_CAPACITY', message naming what is free, e.g.
 * "only 105000 credits unassigned". Lowering an allocation is always allowed, even when over-allocated.
 * Negative or non-integer credits: INVALID_ARGUMENT on 'credits'.
 */
export declare function checkAllocationChange(
  capacity: number,
  allocations: ReadonlyMap<string, number>,
  environmentId: string,
  credits: number,
): Result<CapacitySummary, DomainError>;
