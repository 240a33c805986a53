import { z } from 'zod';

/** Core configuration, read once from the environment in main.ts. */
export interface CoreConfig {
  /** MongoDB (or FerretDB) connection string; the database comes from its path (default "allot"). */
  readonly mongodbUri: string;
  /** host:port the gRPC server listens on. @defaultValue 127.0.0.1:50051 */
  readonly listenAddr: string;
  /** Bootstrap admin key (unscoped ADMIN). */
  readonly adminKey: string;
  /** Allow MaintenanceService.SetTestClock (tests and demos only). @defaultValue false */
  readonly testClock: boolean;
  /** Extra time a write waits to be grouped with others (0: none; writes arriving during a commit form the next group). @defaultValue 0 */
  readonly commitDelayMs: number;
  /**
   * host:port other replicas reach this one at (a tenant's calls are forwarded to its owner). Unique per replica.
   * @defaultValue listenAddr
   */
  readonly advertisedAddr?: string;
  /** How long a tenant's lease lasts without renewal: an owner that dies is replaced after this. @defaultValue 3000 */
  readonly leaseMs?: number;
}

const schema = z.object({
  MONGODB_URI: z
    .string({ error: 'MONGODB_URI is required (e.g. mongodb://127.0.0.1:27018/allot; `npm run services` prints one)' })
    .regex(/^mongodb(\+srv)?:\/\//, 'MONGODB_URI must start with mongodb:// or mongodb+srv://'),
  CREDIT_CORE_ADDR: z
    .string()
    .regex(/^[^:\s]+:\d{1,5}$/, 'CREDIT_CORE_ADDR must be host:port, e.g. 127.0.0.1:50051')
    .default('127.0.0.1:50051'),
  CREDIT_CORE_ADMIN_KEY: z
    .string({ error: 'CREDIT_CORE_ADMIN_KEY is required: the bootstrap admin API key (at least 16 characters)' })
    .min(16, 'CREDIT_CORE_ADMIN_KEY must be at least 16 characters'),
  CREDIT_CORE_TEST_CLOCK: z.enum(['true', 'false'], { error: 'CREDIT_CORE_TEST_CLOCK must be true or false' }).default('false'),
  CREDIT_CORE_COMMIT_DELAY_MS: z.coerce
    .number({ error: 'CREDIT_CORE_COMMIT_DELAY_MS must be a number of milliseconds' })
    .int()
    .min(0)
    .max(1000)
    .default(0),
  CREDIT_CORE_ADVERTISED_ADDR: z
    .string()
    .regex(/^[^:\s]+:\d{1,5}$/, 'CREDIT_CORE_ADVERTISED_ADDR must be host:port, e.g. core-1.internal:50051')
    .optional(),
  CREDIT_CORE_LEASE_MS: z.coerce
    .number({ error: 'CREDIT_CORE_LEASE_MS must be a number of milliseconds' })
    .int()
    .min(500)
    .max(60_000)
    .default(3_000),
});

/** Parses the environment; throws an Error whose message names every bad variable. */
export function loadCoreConfig(env: NodeJS.ProcessEnv): CoreConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    mongodbUri: e.MONGODB_URI,
    listenAddr: e.CREDIT_CORE_ADDR,
    adminKey: e.CREDIT_CORE_ADMIN_KEY,
    testClock: e.CREDIT_CORE_TEST_CLOCK === 'true',
    commitDelayMs: e.CREDIT_CORE_COMMIT_DELAY_MS,
    advertisedAddr: e.CREDIT_CORE_ADVERTISED_ADDR,
    leaseMs: e.CREDIT_CORE_LEASE_MS,
  };
}
