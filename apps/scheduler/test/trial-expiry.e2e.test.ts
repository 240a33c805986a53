/**
 * Trials against a real core and Redis: the scheduler plans one delayed job at the trial's expiry and one
 * per reminder (7 days and 1 day before), deduplicated by job id; when those jobs come due (promoted here
 * with the clock moved, instead of waiting 30 days) the core raises the reminder and expires the trial, and
 * the user is refused afterwards.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AlertKind, DenialReason, Operation, TrialStatus, type Trial } from '@allot/contracts';
import { createSettableClock } from '../src/clock';
import type { TrialMaintenanceResult } from '../src/processors/trial-expiry.processor';
import { trialJobIds } from '../src/schedules';
import { alertsOf, createTenant, eventually, startHarness, type Harness } from './support/scheduler-harness';

const DAY = 24 * 3600 * 1000;

describe('trial expiry and reminders', () => {
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

  it('expires a trial with its delayed job, after raising the 7-day reminder, and its user is refused after', async () => {
    const started = '2027-05-01T12:00:00Z';
    await h.setCoreClock(started);
    const tenantId = await createTenant(h.admin, { name: 'trialco', timeZone: 'UTC', environments: [{ id: 'sandbox' }] });
    const { trial } = await h.admin.admin.startTrial({ tenantId, userId: 'alice' });
    const expiresAtMs = trial?.expiresAt?.getTime() ?? 0;
    expect(expiresAtMs - Date.parse(started)).toBeGreaterThan(30 * DAY - 10_000);
    const access = () => h.admin.consumption.checkAccess({ tenantId, environmentId: 'sandbox', userId: 'alice', operation: Operation.OPERATION_RUN });
    expect(await access()).toMatchObject({ allowed: true });

    const clock = createSettableClock(Date.parse(started) + 3_600_000);
    const app = h.newApp({ clock });
    await app.startWorkers();
    // Twice: job ids per trial and expiry make the second declaration add nothing.
    for (let i = 0; i < 2; i += 1) expect((await app.runJob('tenant-sync')).ok).toBe(true);

    const ref = { tenantId, userId: 'alice' } as Trial;
    const expiryJob = await app.queues.trials.getJob(trialJobIds.expiry(ref, expiresAtMs));
    const reminder7 = await app.queues.trials.getJob(trialJobIds.reminder(ref, expiresAtMs, 7 * DAY));
    const reminder1 = await app.queues.trials.getJob(trialJobIds.reminder(ref, expiresAtMs, 1 * DAY));
    for (const job of [expiryJob, reminder7, reminder1]) expect(await job?.getState()).toBe('delayed');
    // Delays are measured from the scheduler's clock (started + 1 h), not the machine's.
    expect(expiryJob?.opts.delay).toBe(expiresAtMs - clock.now().getTime());
    expect(reminder7?.opts.delay).toBe(expiresAtMs - 7 * DAY - clock.now().getTime());
    expect(reminder1?.opts.delay).toBe(expiresAtMs - 1 * DAY - clock.now().getTime());
    expect(expiryJob?.data).toEqual({ tenantId, userId: 'alice' });
    const delayed = (await app.queues.trials.getJobs(['delayed'])).filter((j) => j.data.tenantId === tenantId);
    expect(delayed).toHaveLength(3);

    const finished = async (jobId: string) =>
      eventually(async () => {
        // One snapshot: a job read before it completed and asked for its state after would carry no return value.
        const job = await app.queues.trials.getJob(jobId);
        return job?.finishedOn !== undefined && job.failedReason === undefined ? (job.returnvalue as TrialMaintenanceResult) : undefined;
      }, `job ${jobId} to complete`);

    // Seven days before expiry: the reminder job comes due.
    clock.set(new Date(expiresAtMs - 7 * DAY + 60_000));
    await h.setCoreClock(clock.now().toISOString());
    await reminder7?.promote();
    expect(await finished(reminder7?.id ?? '')).toMatchObject({ tenantId, expired: 0, reminders: 1 });
    const expiring = await alertsOf(h.admin, tenantId, AlertKind.ALERT_KIND_TRIAL_EXPIRING);
    expect(expiring.map((a) => a.userId)).toEqual(['alice']);
    expect(await access()).toMatchObject({ allowed: true });

    // Expiry: the expiry job comes due.
    clock.set(new Date(expiresAtMs + 60_000));
    await h.setCoreClock(clock.now().toISOString());
    await expiryJob?.promote();
    expect(await finished(expiryJob?.id ?? '')).toMatchObject({ tenantId, userId: 'alice', expired: 1 });
    expect((await alertsOf(h.admin, tenantId, AlertKind.ALERT_KIND_TRIAL_EXPIRED)).map((a) => a.userId)).toEqual(['alice']);
    const { trials } = await h.admin.maintenance.listTrials({ tenantId });
    expect(trials.find((t) => t.userId === 'alice')?.status).toBe(TrialStatus.TRIAL_STATUS_EXPIRED);

    const refused = await access();
    expect(refused.allowed).toBe(false);
    expect([DenialReason.DENIAL_REASON_NO_CAPACITY, DenialReason.DENIAL_REASON_ENTITLEMENT_NOT_AVAILABLE]).toContain(refused.reason);

    // The 1-day reminder, now late, changes nothing, and a sweep finds nothing left to do.
    await reminder1?.promote();
    expect(await finished(reminder1?.id ?? '')).toMatchObject({ expired: 0 });
    const sweep = await app.runJob('trial-sweep');
    expect(sweep).toMatchObject({ ok: true, result: { expired: 0 } });
    expect(await alertsOf(h.admin, tenantId, AlertKind.ALERT_KIND_TRIAL_EXPIRED)).toHaveLength(1);
  });

  it('the trial sweep expires a trial whose job was lost (no per-trial job ever ran)', async () => {
    const started = '2027-07-01T08:00:00Z';
    await h.setCoreClock(started);
    const tenantId = await createTenant(h.admin, { name: 'sweepco', timeZone: 'Asia/Tokyo', environments: [{ id: 'sandbox' }] });
    const { trial } = await h.admin.admin.startTrial({ tenantId, userId: 'bob' });
    const after = new Date((trial?.expiresAt?.getTime() ?? 0) + 3_600_000).toISOString();
    await h.setCoreClock(after);
    const app = h.newApp({ clock: createSettableClock(after) });
    await app.startWorkers();
    const sweep = await app.runJob('trial-sweep');
    expect(sweep.ok, sweep.error).toBe(true);
    expect((sweep.result as TrialMaintenanceResult).expired).toBeGreaterThanOrEqual(1);
    expect((await alertsOf(h.admin, tenantId, AlertKind.ALERT_KIND_TRIAL_EXPIRED)).map((a) => a.userId)).toEqual(['bob']);
  });
});
