import {
  comparePeriods,
  copilotDrawn,
  formatCopilotCredits,
  domainError,
  periodOf,
  previousPeriod,
  trialRemindersDue,
  trialStatusAt,
} from '@allot/domain';
import type {
  ClosePeriodRequest,
  ClosePeriodResponse,
  ReconcileResponse,
  RunTrialMaintenanceResponse,
  Trial,
} from '@allot/contracts';
import type { CoreServices } from '../core-services';
import type { SummaryLine } from '../storage/collections';
import { isDuplicateKeyError } from '../storage/collections';
import { CoreError } from '../shared/core-error';
import { invalid, optionalPeriod, requireId } from '../shared/validate';
import { trialToWire } from '../shared/wire';
import type { TenantContext } from '../tenants/tenant-context';
import { trialFromDoc, trialIdOf } from '../storage/mappers';
import { raiseOverAllocationAlert } from '../admin/capacity.use-cases';
import { alertIdOf } from '../alerts/alert-outbox';
import { groupRollups } from '../reporting/usage-rollups.service';

const TOP_USERS = 5;

/** How far ahead of the core's clock a maintenance `now` may be (the scheduler's clock may run a little fast). */
const MAX_NOW_AHEAD_MS = 5 * 60_000;

/** How many ended periods one ClosePeriod looks back over: a scheduler down for up to two years catches up. */
const MAX_CATCH_UP_PERIODS = 24;

/**
 * A maintenance call's `now`, in ms (null when unset: the core's clock). A `now` far in the future would close
 * a month that has not ended or expire trials early, so more than 5 minutes ahead of the core's clock (the
 * test clock when enabled) is INVALID_ARGUMENT naming `now`.
 */
export function requireMaintenanceNow(s: CoreServices, now: Date | undefined): number | null {
  if (now === undefined) return null;
  const ms = now.getTime();
  if (!Number.isFinite(ms)) throw invalid('MAINTENANCE.INVALID_NOW', 'now is not a valid time', 'now');
  const coreNow = s.clock.now();
  if (ms - coreNow > MAX_NOW_AHEAD_MS) {
    throw invalid(
      'MAINTENANCE.NOW_IN_FUTURE',
      `now ${now.toISOString()} is ${Math.floor((ms - coreNow) / 1000)} s ahead of the core's clock ` +
        `(${new Date(coreNow).toISOString()}); at most ${MAX_NOW_AHEAD_MS / 1000} s is accepted`,
      'now',
    );
  }
  return ms;
}

/**
 * Closes ended periods: the requested one, or (period empty) every ended period not closed yet, oldest first,
 * within the last 24, so a scheduler that was down for months catches up in one call. Each close is
 * idempotent and raises its own PERIOD_CLOSED summary; the answer describes the last one closed (or the
 * previous period, already_closed, when nothing was left).
 */
export async function closePeriod(s: CoreServices, req: ClosePeriodRequest): Promise<ClosePeriodResponse> {
  const tenantId = requireId(req.tenantId, 'tenant_id');
  const requested = optionalPeriod(req.period, 'period');
  const requestedNow = requireMaintenanceNow(s, req.now);
  return s.tenants.get(tenantId).exclusive(async (ctx) => {
    const nowMs = requestedNow ?? ctx.now();
    const current = periodOf(nowMs, ctx.config.tenant.timeZone);
    if (requested !== null) {
      if (comparePeriods(requested, current) >= 0) {
        throw new CoreError(
          domainError('FAILED_PRECONDITION', 'PERIOD.NOT_ENDED', `period ${requested} has not ended yet (current period ${current})`, 'period'),
        );
      }
      return closeOnePeriod(s, ctx, requested, current, nowMs);
    }
    const pending = await unclosedPeriods(s, ctx, current);
    let last: ClosePeriodResponse = { period: previousPeriod(current), alreadyClosed: true, summaryAlertCursor: 0, currentPeriod: current, stagesChanged: 0 };
    for (const period of pending) last = await closeOnePeriod(s, ctx, period, current, nowMs);
    return last;
  });
}

/**
 * Ended periods of the tenant with no close yet, oldest first: from the period it was created in (or the one
 * before, when late events landed there) to the one before current, at most the last MAX_CATCH_UP_PERIODS.
 */
async function unclosedPeriods(s: CoreServices, ctx: TenantContext, current: string): Promise<string[]> {
  const tenantId = ctx.tenantId;
  const created = periodOf(ctx.config.tenant.createdAt.getTime(), ctx.config.tenant.timeZone);
  const beforeCreated = previousPeriod(created);
  // Usage documents exist for every period with events (a small collection, unlike the ledger).
  const lateEvents = (await s.c.usage.findOne({ tenantId, period: beforeCreated }, { projection: { _id: 1 } })) !== null;
  const first = lateEvents ? beforeCreated : created;
  const ended: string[] = [];
  for (let p = previousPeriod(current); comparePeriods(p, first) >= 0 && ended.length < MAX_CATCH_UP_PERIODS; p = previousPeriod(p)) {
    ended.push(p);
  }
  if (ended.length === 0) return [];
  // One equality query per tenant (indexed); the close ids say which periods are done.
  const closed = new Set((await s.c.periodCloses.find({ tenantId }, { projection: { period: 1 } }).toArray()).map((d) => d.period));
  return ended.filter((p) => !closed.has(p)).reverse();
}

/** Closes one ended period once: its PERIOD_CLOSED summary, stages of the current period re-alerted. */
async function closeOnePeriod(s: CoreServices, ctx: TenantContext, period: string, current: string, nowMs: number): Promise<ClosePeriodResponse> {
  const tenantId = ctx.tenantId;
  const closeId = `${tenantId}|${period}`;
  const done = await s.c.periodCloses.findOne({ _id: closeId });
  if (done !== null) return { period, alreadyClosed: true, summaryAlertCursor: 0, currentPeriod: current, stagesChanged: 0 };

  const closed = await ctx.periodState(period);
  // DUAL: Copilot Credits beside AI Builder credits (docs/licensing.md); CLASSIC summaries stay as in v1.
  const dual = closed.licensingModel === 'DUAL';
  const byEnvironment: SummaryLine[] = [...ctx.config.envs.values()]
    .map((env) => {
      const u = closed.usageOf(env.environmentId);
      return {
        key: env.environmentId,
        label: env.displayName,
        credits: u.allocation + u.unassigned + u.trial + u.overage,
        overageCredits: u.overage,
        ...(dual ? { copilotCredits: copilotDrawn(u) } : {}),
      };
    })
    .filter((l) => l.credits > 0 || (l.copilotCredits ?? 0) > 0)
    .sort((a, b) => b.credits - a.credits || (b.copilotCredits ?? 0) - (a.copilotCredits ?? 0));
  const users = groupRollups(await ctx.rollups(period), 'userId');
  const topUsers: SummaryLine[] = users
    .sort((a, b) => b.credits - a.credits || b.copilotCredits - a.copilotCredits || a.key.localeCompare(b.key))
    .slice(0, TOP_USERS)
    .map((u) => ({ key: u.key, label: u.key, credits: u.credits, overageCredits: u.overageCredits, ...(dual ? { copilotCredits: u.copilotCredits } : {}) }));
  const totalOverage = byEnvironment.reduce((a, l) => a + l.overageCredits, 0);
  const total = byEnvironment.reduce((a, l) => a + l.credits, 0);
  let totalCopilot: { credits: number; overage: number } | undefined;
  if (dual) {
    totalCopilot = { credits: 0, overage: 0 };
    for (const env of ctx.config.envs.keys()) {
      const u = closed.usageOf(env);
      totalCopilot.credits += copilotDrawn(u);
      totalCopilot.overage += u.copilot?.overage ?? 0;
    }
  }
  const raised = await s.outbox.raise(
    {
      tenantId,
      kind: 'PERIOD_CLOSED',
      cause: `period-closed:${period}`,
      period,
      consumed: total,
      available: closed.capacity,
      byEnvironment,
      topUsers,
      totalOverage,
      ...(totalCopilot === undefined ? {} : { totalCopilot }),
      title: `${ctx.config.tenant.displayName}: ${period} closed`,
      message:
        `${period}: ${total} credits consumed of ${closed.capacity}, ${totalOverage} in overage` +
        (totalCopilot === undefined ? '' : `; ${formatCopilotCredits(totalCopilot.credits)} Copilot Credits, ${formatCopilotCredits(totalCopilot.overage)} in overage`),
    },
    new Date(nowMs),
  );
  const cursor = raised?.cursor ?? (await s.c.alerts.findOne({ _id: alertIdOf(tenantId, `period-closed:${period}`) }))?.cursor ?? 0;
  // Stages of the new period start from zero: count the environments whose stage moved, alert the moves.
  const fresh = await ctx.periodState(current);
  let stagesChanged = 0;
  for (const env of ctx.config.envs.keys()) {
    if (closed.balanceOf(env).stage !== fresh.balanceOf(env).stage && (closed.usageOf(env).events > 0 || closed.hasAllocation(env))) {
      stagesChanged += 1;
    }
  }
  await ctx.raiseStageAlerts([current]);
  await raiseOverAllocationAlert(s, ctx, current);
  try {
    await s.c.periodCloses.insertOne({ _id: closeId, tenantId, period, closedAt: new Date(nowMs), summaryAlertCursor: cursor });
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
    return { period, alreadyClosed: true, summaryAlertCursor: 0, currentPeriod: current, stagesChanged: 0 };
  }
  s.logger.info('period closed', { tenant: tenantId, period, consumed: total, overage: totalOverage, cursor });
  return { period, alreadyClosed: false, summaryAlertCursor: cursor, currentPeriod: current, stagesChanged };
}

const tenantIdsFor = async (s: CoreServices, tenantId: string): Promise<string[]> =>
  tenantId === '' ? (await s.c.tenants.find({}, { projection: { _id: 1 } }).toArray()).map((t) => t._id) : [requireId(tenantId, 'tenant_id')];

/** Expires trials past their end and raises the 7-day and 1-day reminders, each once. */
export async function runTrialMaintenance(s: CoreServices, tenantIdRaw: string, now: Date | undefined): Promise<RunTrialMaintenanceResponse> {
  const requestedNow = requireMaintenanceNow(s, now);
  let expired = 0;
  let reminders = 0;
  for (const tenantId of await tenantIdsFor(s, tenantIdRaw)) {
    await s.tenants.get(tenantId).exclusive(async (ctx) => {
      const nowMs = requestedNow ?? ctx.now();
      const at = new Date(nowMs);
      for (const trial of ctx.config.trials.values()) {
        const status = trialStatusAt(trial, nowMs);
        if (status === 'EXPIRED' && trial.status !== 'EXPIRED') {
          trial.status = 'EXPIRED';
          await s.c.trials.updateOne({ _id: trialIdOf(tenantId, trial.userId) }, { $set: { status: 'EXPIRED' } });
          expired += 1;
          await s.outbox.raise(
            {
              tenantId,
              kind: 'TRIAL_EXPIRED',
              cause: `trial-expired:${trial.userId}:${trial.extensions}`,
              userId: trial.userId,
              consumed: trial.consumed,
              available: trial.credits,
              expiresAt: new Date(trial.expiresAtMs),
              title: `Trial of ${trial.userId} expired`,
              message: `the trial of ${trial.userId} expired with ${trial.consumed} of ${trial.credits} credits used`,
            },
            at,
          );
        }
        for (const due of trialRemindersDue(trial, nowMs)) {
          const raised = await s.outbox.raise(
            {
              tenantId,
              kind: 'TRIAL_EXPIRING',
              cause: `trial-expiring:${trial.userId}:${trial.extensions}:${due}`,
              userId: trial.userId,
              consumed: trial.consumed,
              available: trial.credits,
              expiresAt: new Date(trial.expiresAtMs),
              title: `Trial of ${trial.userId} expires in ${due === '7d' ? '7 days' : '1 day'}`,
              message: `the trial of ${trial.userId} expires at ${new Date(trial.expiresAtMs).toISOString()} ` +
                `(${trial.credits - trial.consumed} credits left)`,
            },
            at,
          );
          if (raised !== null) reminders += 1;
        }
      }
      await ctx.configChanged();
    });
  }
  if (expired + reminders > 0) s.logger.info('trial maintenance', { expired, reminders });
  return { expired, reminders };
}

export async function listTrials(s: CoreServices, tenantIdRaw: string, nowMs: number): Promise<Trial[]> {
  const filter = tenantIdRaw === '' ? {} : { tenantId: requireId(tenantIdRaw, 'tenant_id') };
  const docs = await s.c.trials.find(filter).sort({ _id: 1 }).toArray();
  return docs.map((d) => trialToWire(d.tenantId, trialFromDoc(d), nowMs));
}

/**
 * Compares every projection of the tenant (usage, rollups, trials) with its ledger and repairs the differences;
 * the truth comes from a pass over the ledger in pages, outside the tenant's queue (see TenantActor.reconcile).
 */
export async function reconcile(s: CoreServices, tenantIdRaw: string): Promise<ReconcileResponse> {
  const tenantId = requireId(tenantIdRaw, 'tenant_id');
  const { fixes, ledgerEvents } = await s.tenants.get(tenantId).reconcile();
  s.logger.info('reconciled', { tenant: tenantId, ledgerEvents, fixes: fixes.length });
  return { fixes: [...fixes], ledgerEvents };
}
