import type { Tenant, Trial } from '@allot/contracts';
import { TrialStatus } from '@allot/contracts';
import type { JobPayload } from './job-kinds';
import type { Queues } from './queues';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * The schedule of every job. Month close runs on each tenant's own calendar (cron in the tenant's zone);
 * the rest are intervals. Everything is idempotent in the core, so a late or repeated run is harmless.
 */
export const SCHEDULE = {
  /** Local midnight on the 1st, in the tenant's time zone (one job scheduler per tenant). */
  monthClosePattern: '0 0 1 * *',
  /** Reconcile each tenant's projections with its ledger. */
  reconcileEveryMs: 60 * MINUTE,
  /** Raise forecast alerts for each tenant. */
  forecastEveryMs: 60 * MINUTE,
  /** Re-read tenants (new ones, changed zones) and trials from the core and (re)declare their jobs. */
  tenantSyncEveryMs: 5 * MINUTE,
  /** Catch-up sweep: close any ended period still open (e.g. a month-close job that failed for good). */
  catchUpEveryMs: 60 * MINUTE,
  /** Trial sweep over every tenant: expire what is due, raise due reminders. */
  trialSweepEveryMs: 15 * MINUTE,
  /** Trial reminders, before expiry. */
  trialReminderLeadMs: [7 * DAY, 1 * DAY],
} as const;

/** Scheduler ids of the per-tenant job schedulers (BullMQ ids must not contain ':'). */
export const schedulerIds = {
  monthClose: (tenantId: string) => `month-close.${encodeURIComponent(tenantId)}`,
  reconcile: (tenantId: string) => `reconcile.${encodeURIComponent(tenantId)}`,
  forecast: (tenantId: string) => `forecast.${encodeURIComponent(tenantId)}`,
  tenantSync: 'tenant-sync',
  catchUp: 'catch-up',
  trialSweep: 'trial-sweep',
} as const;

/** Job ids of one trial's delayed jobs: one per trial and expiry instant, so re-declaring dedupes. */
export const trialJobIds = {
  expiry: (t: Trial, expiresAtMs: number) => `trial-expiry.${encodeURIComponent(t.tenantId)}.${encodeURIComponent(t.userId)}.${expiresAtMs}`,
  reminder: (t: Trial, expiresAtMs: number, leadMs: number) =>
    `trial-reminder-${Math.round(leadMs / DAY)}d.${encodeURIComponent(t.tenantId)}.${encodeURIComponent(t.userId)}.${expiresAtMs}`,
};

export interface DeclaredTenants {
  readonly declared: number;
  /** Tenants whose schedulers were removed because the core no longer lists them. */
  readonly removed: readonly string[];
}

/** Declares job schedulers and delayed jobs; every call is an upsert, safe to repeat at any time. */
export class Schedules {
  constructor(private readonly queues: Queues) {}

  /** The schedulers that do not depend on any tenant. */
  async declareGlobal(): Promise<void> {
    // A new `every` scheduler would fire at once; the explicit catch-up job at start already does that work,
    // so the first periodic run waits one interval (BullMQ counts these in machine time).
    const after = (ms: number) => ({ every: ms, startDate: Date.now() + ms });
    await this.queues['tenant-sync'].upsertJobScheduler(schedulerIds.tenantSync, after(SCHEDULE.tenantSyncEveryMs), { name: 'tenant-sync', data: {} });
    await this.queues['tenant-sync'].upsertJobScheduler(schedulerIds.catchUp, after(SCHEDULE.catchUpEveryMs), { name: 'catch-up', data: {} });
    await this.queues.trials.upsertJobScheduler(schedulerIds.trialSweep, after(SCHEDULE.trialSweepEveryMs), { name: 'trial-sweep', data: {} });
  }

  /**
   * Month close at local midnight on the 1st in the tenant's zone, plus reconcile and forecast intervals.
   * `now` is the scheduler clock: BullMQ computes the next cron run from it when it is ahead of the machine's
   * clock (tests, demos); otherwise from the machine's clock as usual.
   */
  async declareTenant(tenant: Tenant, now: Date): Promise<void> {
    const data: JobPayload = { tenantId: tenant.tenantId };
    const tz = tenant.timeZone || 'UTC';
    await this.queues['month-close'].upsertJobScheduler(
      schedulerIds.monthClose(tenant.tenantId),
      { pattern: SCHEDULE.monthClosePattern, tz, startDate: now },
      { name: 'month-close', data },
    );
    await this.queues.reconcile.upsertJobScheduler(schedulerIds.reconcile(tenant.tenantId), { every: SCHEDULE.reconcileEveryMs }, { name: 'reconcile', data });
    await this.queues.forecast.upsertJobScheduler(schedulerIds.forecast(tenant.tenantId), { every: SCHEDULE.forecastEveryMs }, { name: 'forecast', data });
  }

  /** Declares every listed tenant and removes the schedulers of tenants the core no longer lists. */
  async declareTenants(tenants: readonly Tenant[], now: Date): Promise<DeclaredTenants> {
    for (const tenant of tenants) await this.declareTenant(tenant, now);
    const known = new Set(tenants.map((t) => t.tenantId));
    const removed = new Set<string>();
    for (const queueName of ['month-close', 'reconcile', 'forecast'] as const) {
      const queue = this.queues[queueName];
      for (const scheduler of await queue.getJobSchedulers(0, -1)) {
        const id = scheduler.key;
        const tenantId = id.startsWith(`${queueName}.`) ? decodeURIComponent(id.slice(queueName.length + 1)) : undefined;
        if (tenantId !== undefined && !known.has(tenantId)) {
          await queue.removeJobScheduler(id);
          removed.add(tenantId);
        }
      }
    }
    return { declared: tenants.length, removed: [...removed] };
  }

  /**
   * One delayed job at each active trial's expiry (run at once if already due) and one per reminder still
   * ahead. Reminders already past are left to the trial sweep, which raises each one once.
   */
  async declareTrials(trials: readonly Trial[], now: Date): Promise<number> {
    let added = 0;
    for (const trial of trials) {
      if (trial.status !== TrialStatus.TRIAL_STATUS_ACTIVE || !trial.expiresAt) continue;
      const expiresAtMs = trial.expiresAt.getTime();
      const data: JobPayload = { tenantId: trial.tenantId, userId: trial.userId };
      const delay = Math.max(0, expiresAtMs - now.getTime());
      await this.queues.trials.add('trial-expiry', data, { jobId: trialJobIds.expiry(trial, expiresAtMs), delay });
      added += 1;
      for (const leadMs of SCHEDULE.trialReminderLeadMs) {
        const dueMs = expiresAtMs - leadMs;
        if (dueMs <= now.getTime()) continue;
        await this.queues.trials.add('trial-reminder', data, {
          jobId: trialJobIds.reminder(trial, expiresAtMs, leadMs),
          delay: dueMs - now.getTime(),
        });
        added += 1;
      }
    }
    return added;
  }

  /**
   * What fell due while nobody ran: a close for every tenant (the core closes every ended period still
   * open and answers already_closed otherwise) and a trial sweep. `runId` makes the job ids unique per
   * catch-up run, so a retried catch-up job does not add them twice.
   */
  async enqueueCatchUp(tenants: readonly Tenant[], runId: string): Promise<void> {
    const run = encodeURIComponent(runId);
    for (const tenant of tenants) {
      await this.queues['month-close'].add('month-close', { tenantId: tenant.tenantId } satisfies JobPayload, {
        jobId: `month-close.catch-up.${encodeURIComponent(tenant.tenantId)}.${run}`,
      });
    }
    await this.queues.trials.add('trial-sweep', {} satisfies JobPayload, { jobId: `trial-sweep.catch-up.${run}` });
  }
}
