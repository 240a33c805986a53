import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { JobTuning } from './config';
import { UnknownJobKindError } from './errors/unknown-job-kind.error';
import type { JobContext } from './job-context';
import type { JobPayload, QueueName } from './job-kinds';
import { createForecastProcessor } from './processors/forecast.processor';
import { createMonthCloseProcessor } from './processors/month-close.processor';
import { createReconcileProcessor } from './processors/reconcile.processor';
import { createTenantSyncProcessor } from './processors/tenant-sync.processor';
import { createTrialExpiryProcessor } from './processors/trial-expiry.processor';
import type { Schedules } from './schedules';

type Processor = (job: Job<JobPayload>) => Promise<unknown>;

/** Which processor serves which job name, per queue. */
function processorsByQueue(ctx: JobContext, schedules: Schedules): Record<QueueName, Record<string, Processor>> {
  const trials = createTrialExpiryProcessor(ctx);
  const sync = createTenantSyncProcessor(ctx, schedules);
  return {
    'month-close': { 'month-close': createMonthCloseProcessor(ctx) },
    trials: { 'trial-expiry': trials, 'trial-reminder': trials, 'trial-sweep': trials },
    reconcile: { reconcile: createReconcileProcessor(ctx) },
    forecast: { forecast: createForecastProcessor(ctx) },
    'tenant-sync': { 'tenant-sync': sync, 'catch-up': sync },
  };
}

const concurrencyKey = {
  'month-close': 'monthClose',
  trials: 'trials',
  reconcile: 'reconcile',
  forecast: 'forecast',
  'tenant-sync': 'tenantSync',
} as const satisfies Record<QueueName, keyof JobTuning['concurrency']>;

export interface WorkerOptions {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly tuning: JobTuning;
  /** Queues to serve. @defaultValue every queue */
  readonly only?: readonly QueueName[];
  /** Where worker connection errors go (the app logs the first one per outage). */
  readonly onConnectionError: (source: string, error: Error) => void;
}

/** One worker per queue, each with its own concurrency limit. */
export function createWorkers(ctx: JobContext, schedules: Schedules, options: WorkerOptions): Worker[] {
  const table = processorsByQueue(ctx, schedules);
  const names = options.only ?? (Object.keys(table) as QueueName[]);
  return names.map((queueName) => {
    const processors = table[queueName];
    const worker = new Worker<JobPayload>(
      queueName,
      async (job) => {
        const run = processors[job.name];
        if (!run) throw new UnknownJobKindError(`queue ${queueName} has no processor for job "${job.name}"`);
        return run(job);
      },
      { connection: options.connection, prefix: options.prefix, concurrency: options.tuning.concurrency[concurrencyKey[queueName]] },
    );
    worker.on('failed', (job, error) => {
      const final = !job || error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      ctx.logger.warn(final ? `${queueName} job failed for good` : `${queueName} job failed, will retry`, {
        job: job?.id,
        name: job?.name,
        attempt: job?.attemptsMade,
        error: `${error.name}: ${error.message}`,
      });
    });
    worker.on('error', (error) => {
      // A job that was running while Redis was replaced by an empty one cannot be recorded as finished:
      // its core call already happened (idempotent) and the catch-up after the reconnect runs it again.
      if (/Missing (key|lock) for job/.test(error.message)) {
        ctx.logger.warn(`${queueName}: a running job's record was lost with Redis; the catch-up covers it`, { error: error.message });
        return;
      }
      // Connection errors surface here while Redis is away; BullMQ reconnects by itself.
      options.onConnectionError(`${queueName} worker`, error);
    });
    return worker;
  });
}
