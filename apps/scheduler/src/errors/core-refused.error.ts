import { UnrecoverableError } from 'bullmq';

/**
 * The core answered with a business refusal (INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, ...).
 * Retrying would get the same answer, so it extends BullMQ's UnrecoverableError: the job fails at once.
 */
export class CoreRefusedError extends UnrecoverableError {
  override readonly name = 'CoreRefusedError';
  readonly code = 'SCHEDULER.CORE_REFUSED';
  constructor(
    message: string,
    /** gRPC status code number the core answered with. */
    readonly grpcCode: number,
  ) {
    super(message);
  }
}
