import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { BadRequest, RpcStatus } from '@allot/contracts';
import { CoreError, UnauthenticatedError, isUnavailable } from '../../shared/core-error';
import { STATUS_CODE_OF } from '../../shared/status-codes';
import type { Logger } from '../../logger';

/**
 * The one mapping from core errors to gRPC status. INVALID_ARGUMENT carries a google.rpc.BadRequest detail
 * (in the grpc-status-details-bin trailer) naming the field; every message keeps its numbers.
 */
export function toServiceError(error: unknown, logger: Logger, method: string): Partial<ServiceError> {
  if (error instanceof CoreError) {
    const code: status = STATUS_CODE_OF[error.error.category];
    const metadata = new Metadata();
    metadata.set('error-code', error.error.code);
    if (error.error.field !== undefined) {
      const badRequest = BadRequest.encode({
        fieldViolations: [{ field: error.error.field, description: error.error.message, reason: error.error.code, localizedMessage: undefined }],
      }).finish();
      const details = RpcStatus.encode({
        code,
        message: error.error.message,
        details: [{ typeUrl: 'type.googleapis.com/google.rpc.BadRequest', value: Buffer.from(badRequest) }],
      }).finish();
      metadata.set('grpc-status-details-bin', Buffer.from(details));
    }
    return { code, details: error.error.message, metadata };
  }
  if (error instanceof UnauthenticatedError) return { code: status.UNAUTHENTICATED, details: error.message };
  // Storage that failed or went away, a tenant changing owner: the caller retries (never INTERNAL).
  if (isUnavailable(error)) return { code: status.UNAVAILABLE, details: error instanceof Error ? error.message : String(error) };
  logger.error('unexpected error', { method, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return { code: status.INTERNAL, details: `internal error: ${error instanceof Error ? error.message : String(error)}` };
}
