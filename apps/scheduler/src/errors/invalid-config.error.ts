/** The environment does not describe a runnable scheduler; the message names each bad variable. */
export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError';
  readonly code = 'SCHEDULER.INVALID_CONFIG';
}
