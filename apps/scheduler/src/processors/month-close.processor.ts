import type { Job } from 'bullmq';
import { callCore } from '../core-call';
import { jobNow, requireTenant, type JobContext } from '../job-context';
import type { JobPayload } from '../job-kinds';

/** What a month-close job returns (shown in Bull Board). */
export interface MonthCloseResult {
  readonly tenantId: string;
  readonly now: string;
  readonly period: string;
  readonly alreadyClosed: boolean;
  readonly currentPeriod: string;
  readonly stagesChanged: number;
  readonly summaryAlertCursor: number;
}

/**
 * Closes the ended periods of one tenant. The core decides which period that is from "now" in the tenant's
 * zone (empty period), closes every ended one not closed yet, and answers already_closed when there is
 * nothing left, so a late, retried or duplicated job is harmless.
 */
export function createMonthCloseProcessor(ctx: JobContext) {
  return async (job: Job<JobPayload>): Promise<MonthCloseResult> => {
    const tenantId = requireTenant(job.data, job.name);
    const now = jobNow(job.data, ctx.clock);
    const res = await callCore(() =>
      ctx.core.maintenance.closePeriod({ tenantId, now, period: '' }, { timeoutMs: ctx.callTimeoutMs }),
    );
    const result: MonthCloseResult = {
      tenantId,
      now: now.toISOString(),
      period: res.period,
      alreadyClosed: res.alreadyClosed,
      currentPeriod: res.currentPeriod,
      stagesChanged: res.stagesChanged,
      summaryAlertCursor: res.summaryAlertCursor,
    };
    ctx.logger.info(res.alreadyClosed ? 'month already closed' : 'month closed', { ...result });
    return result;
  };
}
