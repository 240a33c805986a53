import type { DomainError, DomainErrorCategory, Result } from '@allot/domain';
import { domainError } from '@allot/domain';

/**
 * An expected failure thrown through the core's layers (use case -> transport), carrying a domain error with
 * its stable code. The gRPC transport maps it to a status in one place (status-mapping.ts).
 */
export class CoreError extends Error {
  override readonly name = 'CoreError';
  constructor(readonly error: DomainError) {
    super(error.message);
  }
}

export const fail = (category: DomainErrorCategory, code: string, message: string, field?: string): never => {
  throw new CoreError(domainError(category, code, message, field));
};

/** Returns the value of a Result or throws its error as a CoreError. */
export function unwrap<T>(result: Result<T, DomainError>): T {
  if (!result.ok) throw new CoreError(result.error);
  return result.value;
}

/** Prefixes the error's field (e.g. 'credits' -> 'events[3].credits') for errors inside a batch. */
export function withFieldPrefix(error: DomainError, prefix: string): DomainError {
  return error.field === undefined ? error : { ...error, field: `${prefix}${error.field}` };
}

/** Thrown when the caller has no valid key (gRPC UNAUTHENTICATED). */
export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
}

/** Thrown when storage failed and the caller should retry (gRPC UNAVAILABLE). */
export class UnavailableError extends Error {
  override readonly name: string = 'UnavailableError';
}

/** The errors several use cases raise, in one place (use cases do not import each other for them). */
export const tenantNotFound = (tenantId: string): CoreError =>
  new CoreError(domainError('NOT_FOUND', 'TENANT.NOT_FOUND', `tenant ${tenantId} does not exist`, 'tenant_id'));

export const environmentNotFound = (tenantId: string, environmentId: string): CoreError =>
  new CoreError(
    domainError('NOT_FOUND', 'ENVIRONMENT.NOT_FOUND', `environment ${environmentId} does not exist in tenant ${tenantId}`, 'environment_id'),
  );

/** Storage errors a caller should retry (the database is unreachable, a write was fenced off, ...). */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof UnavailableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  // Every error of the MongoDB driver (network, server selection, pool closed, write concern): retryable.
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' && name.startsWith('Mongo');
}
