import { randomBytes } from 'node:crypto';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { BadRequest, RpcStatus } from '@allot/contracts';
import { CoreError, UnauthenticatedError, isUnavailable } from '../../shared/core-error';
import { STATUS_CODE_OF } from '../../shared/status-codes';
import type { Logger } from '../../logger';
import { NotOwnerError } from '../../tenants/tenant-lease';
import { OWNER_METADATA } from './owner-forwarding';

/** Longest status message sent; trailers are limited to a few kilobytes. */
const MAX_MESSAGE = 1_000;

/**
 * The one mapping from core errors to gRPC status. INVALID_ARGUMENT carries a google.rpc.BadRequest detail
 * (in the grpc-status-details-bin trailer) naming the field; every message keeps its numbers.
 */
export function toServiceError(error: unknown, logger: Logger, method: string): Partial<ServiceError> {
  if (error instanceof CoreError) {
    const code: status = STATUS_CODE_OF[error.error.category];
    // A message and its BadRequest copy must fit in the trailers, whatever a rule quoted.
    const message = error.error.message.length > MAX_MESSAGE ? `${error.error.message.slice(0, MAX_MESSAGE)}...` : error.error.message;
    const metadata = new Metadata();
    metadata.set('error-code', error.error.code);
    if (error.error.field !== undefined) {
      const badRequest = BadRequest.encode({
        fieldViolations: [{ field: error.error.field, description: message, reason: error.error.code, localizedMessage: undefined }],
      }).finish();
      const details = RpcStatus.encode({
        code,
        message,
        details: [{ typeUrl: 'type.googleapis.com/google.rpc.BadRequest', value: Buffer.from(badRequest) }],
      }).finish();
      metadata.set('grpc-status-details-bin', Buffer.from(details));
    }
    return { code, details: message, metadata };
  }
  if (error instanceof UnauthenticatedError) return { code: status.UNAUTHENTICATED, details: error.message };
  // Another replica owns the tenant: the server forwards the call there (grpc-server.ts), or the caller retries.
  if (error instanceof NotOwnerError) {
    const metadata = new Metadata();
    metadata.set(OWNER_METADATA, error.ownerAddress);
    return { code: status.UNAVAILABLE, details: error.message, metadata };
  }
  // Storage that failed or went away, a tenant changing owner: the caller retries (never INTERNAL).
  if (isUnavailable(error)) return { code: status.UNAVAILABLE, details: error instanceof Error ? error.message : String(error) };
  // The caller gets a reference, not the cause: database texts and source paths stay in the core's log.
  const reference = randomBytes(6).toString('hex');
  logger.error('unexpected error', { method, reference, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return { code: status.INTERNAL, details: `internal error (reference ${reference}); the credit core's log has the details` };
}
