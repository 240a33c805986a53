/**
 * Robustness against a real core and Redis: a business refusal fails the job at once (no retry); the core
 * down for a while does not lose the job (retried with exponential backoff until the core is back); Redis
 * replaced by an empty one mid-run: the scheduler reconnects, re-declares its schedulers and goes on.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AlertKind } from '@allot/contracts';
import { startRedis } from '@allot/local-services';
import { createSettableClock } from '../src/clock';
import { schedulerIds } from '../src/schedules';
import { alertsOf, createTenant, eventually, startHarness, type Harness } from './support/scheduler-harness';
import { startSlowRelay } from './support/slow-relay';

describe('robustness', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stopApps();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('does not retry a business refusal: NOT_FOUND fails the job after one attempt', async () => {
    const app = h.newApp();
    await app.startWorkers();
    const outcome = await app.runJob('month-close', { tenantId: 'no-such-tenant' });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/NOT_FOUND/);
    const job = await app.queues['month-close'].getJob(outcome.jobId);
    expect(await job?.getState()).toBe('failed');
    expect(job?.attemptsStarted).toBe(1);
    expect(job?.opts.attempts).toBeGreaterThan(1);
  });

  it('keeps a job while the core is down and completes it once the core is back', async () => {
    await h.setCoreClock('2027-08-20T00:00:00Z');
    const tenantId = await createTenant(h.admin, { name: 'patient', timeZone: 'Europe/Berlin', addOnUnits: 1 });
    const now = '2027-08-31T22:30:00Z'; // 00:30 on 1 September in Berlin
    await h.setCoreClock(now);
    const app = h.newApp({ clock: createSettableClock(now) });
    await app.startWorkers();

    await h.core.stop();
    const pending = app.runJob('month-close', { tenantId });
    // Wait until the job has failed a few times with UNAVAILABLE and sits in backoff.
    const job = await eventually(async () => {
      const [j] = await app.queues['month-close'].getJobs(['delayed', 'waiting', 'active', 'failed']);
      return j && j.attemptsMade >= 3 ? j : undefined;
    }, 'three failed attempts while the core is down');
    expect(job.failedReason).toMatch(/UNAVAILABLE|DEADLINE_EXCEEDED/);
    expect((job.stacktrace ?? []).join('\n')).toMatch(/CoreUnavailableError/);

    await h.core.restart();
    const outcome = await pending;
    expect(outcome.ok, outcome.error).toBe(true);
    expect(outcome.result).toMatchObject({ tenantId, period: '2027-08', alreadyClosed: false });
    const done = await app.queues['month-close'].getJob(outcome.jobId);
    expect(done?.attemptsStarted).toBeGreaterThan(3);
    expect((await alertsOf(h.admin, tenantId, AlertKind.ALERT_KIND_PERIOD_CLOSED)).map((a) => a.period)).toContain('2027-08');
  });

  it('reconnects to a restarted (empty) Redis, re-declares its schedulers and goes on; queued jobs are lost', async () => {
    await h.setCoreClock('2027-09-10T00:00:00Z');
    const tenantId = await createTenant(h.admin, { name: 'phoenix', timeZone: 'America/New_York', addOnUnits: 1 });
    const app = h.newApp({ clock: createSettableClock('2027-09-10T00:00:00Z') });
    await app.start();
    const monthClose = app.queues['month-close'];
    await eventually(async () => (await monthClose.getJobScheduler(schedulerIds.monthClose(tenantId))) ?? undefined, 'schedulers declared at start');
    // A job queued but not yet run when Redis goes away (due in an hour).
    const queued = await app.queues.reconcile.add('reconcile', { tenantId }, { jobId: 'queued-before-outage', delay: 3_600_000 });
    expect(await queued.getState()).toBe('delayed');

    const port = h.redis.port;
    await h.redis.stop();
    await new Promise((r) => setTimeout(r, 500));
    // Same port, nothing on disk: what a Redis without persistence is after a restart.
    h.redis = await startRedis({ port, throwaway: true });

    await eventually(async () => (app.redeclarations >= 1 ? true : undefined), 'the scheduler to re-declare after reconnecting');
    // Re-declared: the global schedulers at once, the per-tenant ones by the catch-up job.
    expect((await app.queues['tenant-sync'].getJobSchedulers()).map((s) => s.key).sort()).toEqual(['catch-up', 'tenant-sync']);
    const again = await eventually(async () => (await monthClose.getJobScheduler(schedulerIds.monthClose(tenantId))) ?? undefined, 'month-close scheduler re-declared');
    expect(again.tz).toBe('America/New_York');
    expect(await app.queues.reconcile.getJobScheduler(schedulerIds.reconcile(tenantId))).toBeTruthy();
    // The job that was only queued is gone with the old Redis; only what the scheduler declares comes back.
    expect(await app.queues.reconcile.getJob('queued-before-outage')).toBeUndefined();

    // And it goes on: jobs run against the new Redis.
    const after = await app.runJob('reconcile', { tenantId });
    expect(after.ok, after.error).toBe(true);
    expect(after.result).toMatchObject({ tenantId });
  });

  it('a job running when Redis is replaced: the core call completes, BullMQ loses the job, the catch-up closes again (no-op)', async () => {
    const now = '2027-10-31T19:00:00Z'; // 00:30 on 1 November in Kolkata (UTC+5:30)
    const relay = await startSlowRelay(h.core.address, 1_500);
    try {
      const app = h.newApp({ clock: createSettableClock(now), coreAddr: relay.address });
      await app.start();
      await eventually(async () => ((await app.queues['tenant-sync'].getCompletedCount()) > 0 ? true : undefined), 'the start catch-up');
      await h.setCoreClock('2027-10-10T00:00:00Z');
      const tenantId = await createTenant(h.admin, { name: 'inflight', timeZone: 'Asia/Kolkata', addOnUnits: 1 });
      await h.setCoreClock(now);
      const job = await app.queues['month-close'].add('month-close', { tenantId }, { jobId: 'in-flight-close' });
      await eventually(async () => ((await job.getState()) === 'active' ? true : undefined), 'the close to be running');

      const port = h.redis.port;
      await h.redis.stop();
      h.redis = await startRedis({ port, throwaway: true });
      await eventually(async () => (app.redeclarations >= 1 ? true : undefined), 'the scheduler to re-declare after reconnecting');

      // The core did the work of the running job...
      await eventually(async () => ((await alertsOf(h.admin, tenantId, AlertKind.ALERT_KIND_PERIOD_CLOSED)).length === 1 ? true : undefined), 'the close in the core');
      // ...and the catch-up after the reconnect ran the close again, which the core answered as a no-op.
      const again = await eventually(async () => {
        const jobs = await app.queues['month-close'].getJobs(['completed']);
        return jobs.find((j) => j.data.tenantId === tenantId && j.id?.startsWith('month-close.catch-up.'));
      }, 'the catch-up close after the reconnect');
      expect(again.returnvalue).toMatchObject({ period: '2027-10', alreadyClosed: true });
      // The running job's record went with the old Redis: nothing says it completed.
      expect(await app.queues['month-close'].getJob('in-flight-close')).toBeUndefined();
      expect((await alertsOf(h.admin, tenantId, AlertKind.ALERT_KIND_PERIOD_CLOSED)).map((a) => a.period)).toEqual(['2027-10']);
    } finally {
      await relay.close();
    }
  });
});
