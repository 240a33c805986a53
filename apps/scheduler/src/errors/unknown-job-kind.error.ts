/** A job (or `--once` argument) names a kind the scheduler does not know. */
export class UnknownJobKindError extends Error {
  override readonly name = 'UnknownJobKindError';
  readonly code = 'SCHEDULER.UNKNOWN_JOB_KIND';
}
