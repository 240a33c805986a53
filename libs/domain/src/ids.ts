import type { Result } from './result';
import type { DomainError } from './domain-error';

/**
 * Validates an identifier (tenant, environment, user, idempotency key): non-empty, at most 128 characters,
 * letters, digits and . _ : @ - only. INVALID_ARGUMENT naming the field.
 */
export declare function parseId(value: string, field: string): Result<string, DomainError>;

/** Validates a whole number of credits: integer, 0 <= n <= 2^53-1. INVALID_ARGUMENT naming the field. */
export declare function parseCredits(value: number, field: string): Result<number, DomainError>;
