import { UnknownJobKindError } from './errors/unknown-job-kind.error';

/** Queues the scheduler owns; each has its own worker and concurrency limit. */
export const QUEUE_NAMES = ['month-close', 'trials', 'reconcile', 'forecast', 'tenant-sync'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Every kind of job (the BullMQ job name), and the queue it runs on. */
export const JOB_KINDS = {
  /** Close the ended periods of one tenant (ClosePeriod). */
  'month-close': 'month-close',
  /** One trial reached its end (RunTrialMaintenance for its tenant). */
  'trial-expiry': 'trials',
  /** A trial ends in 7 days or 1 day (RunTrialMaintenance raises the reminder once). */
  'trial-reminder': 'trials',
  /** Every tenant's trials: expire what is due, raise due reminders (RunTrialMaintenance, all tenants). */
  'trial-sweep': 'trials',
  /** Repair one tenant's projections from its ledger (Reconcile). */
  reconcile: 'reconcile',
  /** Raise forecast alerts of one tenant (RaiseForecastAlerts). */
  forecast: 'forecast',
  /** (Re)declare per-tenant schedulers and per-trial jobs from the core's tenant and trial lists. */
  'tenant-sync': 'tenant-sync',
  /** tenant-sync, then run at once what fell due while the scheduler was down (start, Redis reconnect). */
  'catch-up': 'tenant-sync',
} as const satisfies Record<string, QueueName>;
export type JobKind = keyof typeof JOB_KINDS;

/** Kinds that act on one tenant; `--once` without `--tenant` runs them for every tenant. */
export const PER_TENANT_KINDS: readonly JobKind[] = ['month-close', 'reconcile', 'forecast'];

/**
 * Job payload: ids only, never copies of core data (the core is asked again when the job runs).
 * `now` is set only by hand-run jobs (`--once --now`, tests); otherwise the worker's clock gives it.
 */
export interface JobPayload {
  readonly tenantId?: string;
  readonly userId?: string;
  /** ISO instant to pass to the core instead of the clock's now. */
  readonly now?: string;
}

export function isJobKind(value: string): value is JobKind {
  return Object.prototype.hasOwnProperty.call(JOB_KINDS, value);
}

export function parseJobKind(value: string): JobKind {
  if (!isJobKind(value)) {
    throw new UnknownJobKindError(`unknown job kind "${value}"; one of: ${Object.keys(JOB_KINDS).join(', ')}`);
  }
  return value;
}

export function queueOf(kind: JobKind): QueueName {
  return JOB_KINDS[kind];
}
