import type { Job } from 'bullmq';
import { callCore } from '../core-call';
import { jobNow, type JobContext } from '../job-context';
import type { JobPayload } from '../job-kinds';
import type { Schedules } from '../schedules';

export interface TenantSyncResult {
  readonly tenants: number;
  readonly removedTenants: readonly string[];
  readonly trialJobs: number;
  /** True when this run also queued the catch-up closes and trial sweep. */
  readonly caughtUp: boolean;
}

/**
 * Reads tenants (with their zones) and trials from the core and (re)declares their schedulers and delayed
 * jobs. As `catch-up` (at start, after a Redis reconnect, hourly) it also queues what fell due meanwhile.
 */
export function createTenantSyncProcessor(ctx: JobContext, schedules: Schedules) {
  return async (job: Job<JobPayload>): Promise<TenantSyncResult> => {
    const now = jobNow(job.data, ctx.clock);
    const { tenants } = await callCore(() => ctx.core.admin.listTenants({}, { timeoutMs: ctx.callTimeoutMs }));
    const declared = await schedules.declareTenants(tenants, now);
    const { trials } = await callCore(() => ctx.core.maintenance.listTrials({ tenantId: '' }, { timeoutMs: ctx.callTimeoutMs }));
    const trialJobs = await schedules.declareTrials(trials, now);
    const caughtUp = job.name === 'catch-up';
    if (caughtUp) await schedules.enqueueCatchUp(tenants, job.id ?? String(job.timestamp));
    const result = { tenants: tenants.length, removedTenants: declared.removed, trialJobs, caughtUp };
    ctx.logger.info(`${job.name}: schedules declared`, { ...result });
    return result;
  };
}
