import { status } from '@grpc/grpc-js';
import { CoreCallError } from '@allot/grpc-client';

/** Codes a client sees while the core is down or restarting; the same call (same idempotency keys) is retried. */
const TRANSIENT = new Set<number>([
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.CANCELLED,
  status.UNKNOWN,
  status.INTERNAL,
  status.ABORTED,
  status.RESOURCE_EXHAUSTED,
]);

export interface RetryStats {
  /** Failed attempts that were retried. */
  retries: number;
}

/**
 * Calls fn until it succeeds, retrying transient failures with a short capped backoff, the way a well-behaved
 * ingest client does. Any other failure is a real answer and is thrown at once.
 */
export async function withRetry<T>(fn: () => Promise<T>, stats: RetryStats, giveUpAfterMs = 90_000): Promise<T> {
  const deadline = Date.now() + giveUpAfterMs;
  let delay = 25;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      const transient = e instanceof CoreCallError && TRANSIENT.has(e.code);
      if (!transient || Date.now() > deadline) throw e;
      stats.retries++;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 400);
    }
  }
}

/** Runs tasks with at most `limit` in flight. */
export async function runPool<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      const item = items[i] as T;
      await task(item, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
