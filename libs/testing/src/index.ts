/** @allot/testing: shared test harness (real core process, throwaway services). */
export * from './core-process';
export { startTestMongo, startTestRedis, type RunningService } from '@allot/local-services';
export * from './eventually';
