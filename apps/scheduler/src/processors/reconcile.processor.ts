import type { Job } from 'bullmq';
import { callCore } from '../core-call';
import { requireTenant, type JobContext } from '../job-context';
import type { JobPayload } from '../job-kinds';

/** One repaired projection value, as the core reported it. */
export interface ReconcileFixLine {
  readonly projection: string;
  readonly key: string;
  readonly before: number;
  readonly after: number;
}

export interface ReconcileResult {
  readonly tenantId: string;
  readonly ledgerEvents: number;
  readonly fixes: readonly ReconcileFixLine[];
}

/** Asks the core to compare one tenant's projections with its ledger and repair them; logs every fix. */
export function createReconcileProcessor(ctx: JobContext) {
  return async (job: Job<JobPayload>): Promise<ReconcileResult> => {
    const tenantId = requireTenant(job.data, job.name);
    const res = await callCore(() => ctx.core.maintenance.reconcile({ tenantId }, { timeoutMs: ctx.callTimeoutMs }));
    const fixes = res.fixes.map((f) => ({ projection: f.projection, key: f.key, before: f.before, after: f.after }));
    for (const fix of fixes) ctx.logger.warn('reconcile repaired a projection', { tenantId, ...fix });
    return { tenantId, ledgerEvents: res.ledgerEvents, fixes };
  };
}
