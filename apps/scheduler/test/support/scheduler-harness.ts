import { randomBytes } from 'node:crypto';
import type { AlertKind} from '@allot/contracts';
import { EntitlementKind, Operation, RecordConsumptionRequest, type Alert } from '@allot/contracts';
import { createCoreClient, type CoreClient } from '@allot/grpc-client';
import { eventually as sharedEventually, startCoreProcess, startTestMongo, startTestRedis, type CoreProcess, type RunningService } from '@allot/testing';
import { createSettableClock, type SettableClock } from '../../src/clock';
import { defaultTuning, type JobTuning, type SchedulerConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { SchedulerApp } from '../../src/scheduler-app';

/** Small delays so retries take milliseconds, not minutes. */
export const testTuning: JobTuning = { ...defaultTuning, attempts: 12, backoffDelayMs: 50, callTimeoutMs: 3_000 };

/** Real Redis, a real core on a throwaway FerretDB, and a client with the core's bootstrap admin key. */
export interface Harness {
  redis: RunningService;
  readonly mongo: RunningService;
  readonly core: CoreProcess;
  readonly admin: CoreClient;
  /** A scheduler on a fresh queue prefix (stopped by stopApps). */
  newApp(options?: { clock?: SettableClock; tuning?: Partial<JobTuning>; board?: boolean; coreAddr?: string; queuePrefix?: string }): SchedulerApp;
  /** Stops every scheduler made by newApp (afterEach). */
  stopApps(): Promise<void>;
  /** Moves the core's own clock (CheckAccess and friends read it). */
  setCoreClock(iso: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const [redis, mongo] = await Promise.all([startTestRedis(), startTestMongo()]);
  const core = await startCoreProcess({ mongodbUri: mongo.url });
  const admin = createCoreClient({ address: core.address, apiKey: core.adminKey });
  const apps: SchedulerApp[] = [];
  const harness: Harness = {
    redis,
    mongo,
    core,
    admin,
    newApp: (options = {}) => {
      const config: SchedulerConfig = {
        redisUrl: harness.redis.url,
        coreAddr: options.coreAddr ?? core.address,
        coreAdminKey: core.adminKey,
        boardPort: 0,
        boardHost: '127.0.0.1',
        queuePrefix: options.queuePrefix ?? `t${randomBytes(5).toString('hex')}`,
        tuning: { ...testTuning, ...options.tuning },
      };
      const app = new SchedulerApp({ config, clock: options.clock ?? createSettableClock(new Date()), logger: createLogger(true), board: options.board ?? false });
      apps.push(app);
      return app;
    },
    stopApps: async () => {
      await Promise.all(apps.splice(0).map((a) => a.stop()));
    },
    setCoreClock: async (iso) => {
      await admin.maintenance.setTestClock({ now: new Date(iso) });
    },
    stop: async () => {
      await harness.stopApps();
      admin.close();
      await core.stop().catch(() => undefined);
      await Promise.all([harness.redis.stop(), mongo.stop()]);
    },
  };
  return harness;
}

/** A tenant id unique to this run. */
export function uniqueTenantId(name: string): string {
  return `${name}-${randomBytes(4).toString('hex')}`;
}

/** Creates a tenant in a zone, optionally with capacity add-ons and environments with allocations. */
export async function createTenant(
  admin: CoreClient,
  spec: { name: string; timeZone: string; addOnUnits?: number; firstPeriod?: string; environments?: ReadonlyArray<{ id: string; allocation?: number }> },
): Promise<string> {
  const tenantId = uniqueTenantId(spec.name);
  await admin.admin.createTenant({ tenantId, displayName: spec.name, timeZone: spec.timeZone });
  if (spec.addOnUnits) {
    await admin.admin.addEntitlement({
      tenantId,
      kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON,
      sku: '',
      quantity: spec.addOnUnits,
      firstPeriod: spec.firstPeriod ?? '',
      lastPeriod: '',
    });
  }
  for (const env of spec.environments ?? []) {
    await admin.admin.createEnvironment({ tenantId, environmentId: env.id, displayName: env.id, tenantPoolFallback: false });
    if (env.allocation) await admin.admin.setAllocation({ tenantId, environmentId: env.id, credits: env.allocation });
  }
  return tenantId;
}

export function consumption(spec: { tenantId: string; environmentId: string; userId?: string; credits: number; occurredAt: Date }): RecordConsumptionRequest {
  return RecordConsumptionRequest.fromPartial({
    tenantId: spec.tenantId,
    environmentId: spec.environmentId,
    userId: spec.userId ?? 'user-1',
    idempotencyKey: `evt-${randomBytes(8).toString('hex')}`,
    occurredAt: spec.occurredAt,
    operation: Operation.OPERATION_RUN,
    credits: spec.credits,
    capability: '',
    quantity: 0,
    sourceId: '',
  });
}

/** Every alert of a tenant of one kind. */
export async function alertsOf(admin: CoreClient, tenantId: string, kind: AlertKind): Promise<Alert[]> {
  const { alerts } = await admin.alerts.listAlerts({ tenantId, afterCursor: 0, limit: 1000 });
  return alerts.filter((a) => a.kind === kind);
}

/** The shared poller, with the longer wait these jobs need. */
export const eventually = <T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> =>
  sharedEventually(check, what, timeoutMs);
