/** @allot/grpc-client: typed, promise-based clients of the credit core (used by the scheduler, the bot, tests). */
export * from './core-client';
export * from './health-check';
