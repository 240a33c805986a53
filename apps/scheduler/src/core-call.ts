import { status } from '@grpc/grpc-js';
import { CoreCallError } from '@allot/grpc-client';
import { CoreRefusedError } from './errors/core-refused.error';
import { CoreUnavailableError } from './errors/core-unavailable.error';

/** Codes that say "the core is not there or not answering now", so the same call may succeed later. */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.RESOURCE_EXHAUSTED,
  status.ABORTED,
  status.CANCELLED,
  status.INTERNAL,
  status.UNKNOWN,
]);

/**
 * Runs one core call and classifies its failure: transient → CoreUnavailableError (BullMQ retries with
 * backoff); any other gRPC status (INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, PERMISSION_DENIED,
 * UNIMPLEMENTED, ...) → CoreRefusedError, an UnrecoverableError, so the job fails without retrying.
 */
export async function callCore<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyCoreError(error);
  }
}

export function classifyCoreError(error: unknown): Error {
  if (error instanceof CoreCallError) {
    const text = `${error.method} → ${status[error.code] ?? error.code}: ${error.details}`;
    return TRANSIENT_CODES.has(error.code) ? new CoreUnavailableError(text, error.code) : new CoreRefusedError(text, error.code);
  }
  return error instanceof Error ? error : new Error(String(error));
}
