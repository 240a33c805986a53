import { z } from 'zod';
import { InvalidConfigError } from './errors/invalid-config.error';

/** How jobs are retried and how many run at once; tests shrink the delays. */
export interface JobTuning {
  /** Attempts per job before it fails for good (core unreachable). @defaultValue 10 */
  readonly attempts: number;
  /** First retry delay of the exponential backoff, in ms (then x2 each attempt). @defaultValue 2000 */
  readonly backoffDelayMs: number;
  /** Deadline of one core call, in ms. @defaultValue 30000 */
  readonly callTimeoutMs: number;
  /** Jobs one worker runs at once, per queue. */
  readonly concurrency: Readonly<Record<'monthClose' | 'trials' | 'reconcile' | 'forecast' | 'tenantSync', number>>;
}

/** Scheduler configuration, read once from the environment in main.ts. */
export interface SchedulerConfig {
  /** redis:// URL of the Redis that holds the queues. */
  readonly redisUrl: string;
  /** host:port of the credit core. @defaultValue 127.0.0.1:50051 */
  readonly coreAddr: string;
  /** Unscoped ADMIN key of the core (the maintenance RPCs need it). */
  readonly coreAdminKey: string;
  /** Port of the Bull Board page; 0 picks a free port. @defaultValue 3100 */
  readonly boardPort: number;
  /** Interface the Bull Board page listens on. @defaultValue 127.0.0.1 */
  readonly boardHost: string;
  /** BullMQ key prefix; a hash tag such as `{allot}` keeps every key in one Redis Cluster slot. @defaultValue allot */
  readonly queuePrefix: string;
  readonly tuning: JobTuning;
}

export const defaultTuning: JobTuning = {
  attempts: 10,
  backoffDelayMs: 2_000,
  callTimeoutMs: 30_000,
  concurrency: { monthClose: 4, trials: 4, reconcile: 1, forecast: 2, tenantSync: 1 },
};

const schema = z.object({
  REDIS_URL: z
    .string({ error: 'REDIS_URL is required (e.g. redis://127.0.0.1:6379; `npm run services` prints one)' })
    .regex(/^rediss?:\/\/\S+$/, 'REDIS_URL must start with redis:// or rediss://'),
  CREDIT_CORE_ADDR: z
    .string()
    .regex(/^[^:\s]+:\d{1,5}$/, 'CREDIT_CORE_ADDR must be host:port, e.g. 127.0.0.1:50051')
    .default('127.0.0.1:50051'),
  CREDIT_CORE_ADMIN_KEY: z
    .string({ error: 'CREDIT_CORE_ADMIN_KEY is required: the core bootstrap admin API key' })
    .min(1, 'CREDIT_CORE_ADMIN_KEY must not be empty'),
  SCHEDULER_BOARD_PORT: z.coerce
    .number({ error: 'SCHEDULER_BOARD_PORT must be a port number (0 = any free port)' })
    .int('SCHEDULER_BOARD_PORT must be a whole number')
    .min(0, 'SCHEDULER_BOARD_PORT must be 0..65535')
    .max(65_535, 'SCHEDULER_BOARD_PORT must be 0..65535')
    .default(3100),
  SCHEDULER_BOARD_HOST: z.string().min(1, 'SCHEDULER_BOARD_HOST must not be empty').default('127.0.0.1'),
  SCHEDULER_QUEUE_PREFIX: z
    .string()
    .regex(/^[^\s:]+$/, 'SCHEDULER_QUEUE_PREFIX must be non-empty, without spaces or ":" (e.g. {allot})')
    .default('allot'),
});

/** Parses the environment; throws InvalidConfigError whose message names every bad variable. */
export function loadSchedulerConfig(env: NodeJS.ProcessEnv): SchedulerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new InvalidConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    redisUrl: e.REDIS_URL,
    coreAddr: e.CREDIT_CORE_ADDR,
    coreAdminKey: e.CREDIT_CORE_ADMIN_KEY,
    boardPort: e.SCHEDULER_BOARD_PORT,
    boardHost: e.SCHEDULER_BOARD_HOST,
    queuePrefix: e.SCHEDULER_QUEUE_PREFIX,
    tuning: defaultTuning,
  };
}
