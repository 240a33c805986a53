import type { Job } from 'bullmq';
import { callCore } from '../core-call';
import { jobNow, type JobContext } from '../job-context';
import type { JobPayload } from '../job-kinds';

/** What a trial job returns (shown in Bull Board). */
export interface TrialMaintenanceResult {
  readonly tenantId: string;
  readonly userId: string;
  readonly now: string;
  readonly expired: number;
  readonly reminders: number;
}

/**
 * Trial expiry, reminders and the sweep are one core call: RunTrialMaintenance expires every trial past its
 * end and raises each due reminder once. The per-trial delayed jobs make it happen on time; the sweep (no
 * tenant: all tenants) catches whatever a lost job missed.
 */
export function createTrialExpiryProcessor(ctx: JobContext) {
  return async (job: Job<JobPayload>): Promise<TrialMaintenanceResult> => {
    const tenantId = job.data.tenantId ?? '';
    const now = jobNow(job.data, ctx.clock);
    const res = await callCore(() =>
      ctx.core.maintenance.runTrialMaintenance({ tenantId, now }, { timeoutMs: ctx.callTimeoutMs }),
    );
    const result: TrialMaintenanceResult = {
      tenantId,
      userId: job.data.userId ?? '',
      now: now.toISOString(),
      expired: res.expired,
      reminders: res.reminders,
    };
    if (res.expired > 0 || res.reminders > 0) ctx.logger.info(`${job.name}: trials maintained`, { ...result });
    return result;
  };
}
