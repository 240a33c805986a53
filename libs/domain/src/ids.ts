import type { Result } from './result';
import type { DomainError } from './domain-error';
import { ok, err } from './result';
import { domainError } from './domain-error';

const ID_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * Validates an identifier (tenant, environment, user, idempotency key): non-empty, at most 128 characters,
 * letters, digits and . _ : @ - only. INVALID_ARGUMENT naming the field.
 */
export function parseId(value: string, field: string): Result<string, DomainError> {
  if (ID_PATTERN.test(value)) return ok(value);
  const why =
    value.length === 0
      ? 'is empty'
      : value.length > 128
        ? `has ${value.length} characters, at most 128 allowed`
        : 'may hold only letters, digits and . _ : @ -';
  return err(domainError('INVALID_ARGUMENT', 'REQUEST.INVALID_ID', `${field} ${why}`, field));
}

/** Validates a whole number of credits: integer, 0 <= n <= 2^53-1. INVALID_ARGUMENT naming the field. */
export function parseCredits(value: number, field: string): Result<number, DomainError> {
  return Number.isSafeInteger(value) && value >= 0
    ? ok(value)
    : err(
        domainError(
          'INVALID_ARGUMENT',
          'REQUEST.INVALID_CREDITS',
          `${field} must be a whole number of credits between 0 and ${Number.MAX_SAFE_INTEGER}, got ${value}`,
          field,
        ),
      );
}
