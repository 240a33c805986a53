import { UnrecoverableError } from 'bullmq';

/** A job's payload lacks an id it needs or carries a bad `now`; running it again cannot help. */
export class InvalidJobPayloadError extends UnrecoverableError {
  override readonly name = 'InvalidJobPayloadError';
  readonly code = 'SCHEDULER.INVALID_JOB_PAYLOAD';
}
