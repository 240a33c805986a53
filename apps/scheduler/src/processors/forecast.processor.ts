import type { Job } from 'bullmq';
import { callCore } from '../core-call';
import { jobNow, requireTenant, type JobContext } from '../job-context';
import type { JobPayload } from '../job-kinds';

export interface ForecastResult {
  readonly tenantId: string;
  readonly now: string;
  readonly raised: number;
}

/** Lets the core raise forecast alerts for one tenant (once per environment and period; the core dedupes). */
export function createForecastProcessor(ctx: JobContext) {
  return async (job: Job<JobPayload>): Promise<ForecastResult> => {
    const tenantId = requireTenant(job.data, job.name);
    const now = jobNow(job.data, ctx.clock);
    const res = await callCore(() =>
      ctx.core.maintenance.raiseForecastAlerts({ tenantId, now }, { timeoutMs: ctx.callTimeoutMs }),
    );
    if (res.raised > 0) ctx.logger.info('forecast alerts raised', { tenantId, raised: res.raised });
    return { tenantId, now: now.toISOString(), raised: res.raised };
  };
}
