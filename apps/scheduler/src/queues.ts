import { Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import type { JobTuning } from './config';
import { QUEUE_NAMES, type QueueName } from './job-kinds';

export type Queues = Readonly<Record<QueueName, Queue>>;

const DAY_S = 24 * 3600;

/** Retries with exponential backoff (core unreachable); keeps finished jobs a while for Bull Board. */
export function defaultJobOptions(tuning: JobTuning): DefaultJobOptions {
  return {
    attempts: tuning.attempts,
    backoff: { type: 'exponential', delay: tuning.backoffDelayMs },
    removeOnComplete: { age: 7 * DAY_S, count: 1000 },
    removeOnFail: { age: 30 * DAY_S, count: 5000 },
  };
}

export function createQueues(connection: ConnectionOptions, prefix: string, tuning: JobTuning): Queues {
  const entries = QUEUE_NAMES.map((name) => [name, new Queue(name, { connection, prefix, defaultJobOptions: defaultJobOptions(tuning) })]);
  return Object.fromEntries(entries) as Record<QueueName, Queue>;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
