import type { DomainErrorCategory } from '@allot/domain';

/**
 * The one table from domain error categories to canonical gRPC status codes (numbers, google.rpc.Code), kept
 * free of any transport import so use cases can fill per-item errors (batch results) with the same codes the
 * transport's status mapping (transport/grpc/status-mapping.ts) answers with.
 */
export const STATUS_CODE_OF: Readonly<Record<DomainErrorCategory, number>> = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  FAILED_PRECONDITION: 9,
};
