/** The core could not be reached or did not answer in time; the job is retried with exponential backoff. */
export class CoreUnavailableError extends Error {
  override readonly name = 'CoreUnavailableError';
  readonly code = 'SCHEDULER.CORE_UNAVAILABLE';
  constructor(
    message: string,
    /** gRPC status code number (UNAVAILABLE, DEADLINE_EXCEEDED, ...). */
    readonly grpcCode: number,
  ) {
    super(message);
  }
}
