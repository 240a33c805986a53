/**
 * Month close against a real core (FerretDB) and a real Redis: each tenant is closed at local midnight on the
 * 1st of its own zone, the close lifts a block, a second close changes nothing, a scheduler started two days
 * after a boundary catches up at once, and `--once` runs a close by hand.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AlertKind, DenialReason, Operation, Stage } from '@allot/contracts';
import { periodEnd } from '@allot/domain';
import { createSettableClock } from '../src/clock';
import type { MonthCloseResult } from '../src/processors/month-close.processor';
import { schedulerIds, SCHEDULE } from '../src/schedules';
import { alertsOf, consumption, createTenant, eventually, startHarness, type Harness } from './support/scheduler-harness';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('month close', () => {
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

  const closedPeriods = async (tenantId: string) =>
    (await alertsOf(h.admin, tenantId, AlertKind.ALERT_KIND_PERIOD_CLOSED)).map((a) => a.period);

  it('closes Pacific/Auckland and America/Los_Angeles tenants at their own local midnights, not at UTC midnight', async () => {
    await h.setCoreClock('2026-12-10T00:00:00Z');
    const auckland = await createTenant(h.admin, { name: 'kiwi', timeZone: 'Pacific/Auckland', addOnUnits: 1 });
    const angeles = await createTenant(h.admin, { name: 'la', timeZone: 'America/Los_Angeles', addOnUnits: 1 });

    const clock = createSettableClock('2026-12-20T00:00:00Z');
    const app = h.newApp({ clock });
    await app.startWorkers();
    const sync = await app.runJob('tenant-sync');
    expect(sync.ok, sync.error).toBe(true);

    // BullMQ's own computed next run of each tenant's month-close scheduler (cron 0 0 1 * * in its zone).
    const nextRun = async (tenantId: string) => {
      const s = await app.queues['month-close'].getJobScheduler(schedulerIds.monthClose(tenantId));
      expect(s).toMatchObject({ pattern: SCHEDULE.monthClosePattern });
      return { tz: s?.tz, next: new Date(s?.next ?? 0).toISOString() };
    };
    // Local midnight on 1 Jan 2027: 2026-12-31T11:00Z in Auckland (NZDT, UTC+13), 2027-01-01T08:00Z in LA (PST).
    expect(await nextRun(auckland)).toEqual({ tz: 'Pacific/Auckland', next: '2026-12-31T11:00:00.000Z' });
    expect(await nextRun(angeles)).toEqual({ tz: 'America/Los_Angeles', next: '2027-01-01T08:00:00.000Z' });
    expect(new Date(periodEnd('2026-12', 'Pacific/Auckland')).toISOString()).toBe('2026-12-31T11:00:00.000Z');

    const closeBoth = async (iso: string) => {
      clock.set(iso);
      await h.setCoreClock(iso);
      const out: MonthCloseResult[] = [];
      for (const tenantId of [auckland, angeles]) {
        const o = await app.runJob('month-close', { tenantId });
        expect(o.ok, o.error).toBe(true);
        out.push(o.result as MonthCloseResult);
      }
      return out;
    };

    // 00:30 on 1 Jan in Auckland; still 31 Dec at 03:30 in LA and 11:30 in UTC.
    const [akl1, la1] = await closeBoth('2026-12-31T11:30:00Z');
    expect(akl1).toMatchObject({ period: '2026-12', alreadyClosed: false, currentPeriod: '2027-01' });
    expect(la1?.currentPeriod).toBe('2026-12');
    expect(await closedPeriods(auckland)).toContain('2026-12');
    expect(await closedPeriods(angeles)).not.toContain('2026-12');

    // 00:30 UTC on 1 Jan: LA is still in December (16:30 on 31 Dec), so nothing of its December closes.
    const [, la2] = await closeBoth('2027-01-01T00:30:00Z');
    expect(la2?.currentPeriod).toBe('2026-12');
    expect(await closedPeriods(angeles)).not.toContain('2026-12');

    // 00:30 on 1 Jan in LA: now its December closes; Auckland's second close is a no-op.
    const [akl3, la3] = await closeBoth('2027-01-01T08:30:00Z');
    expect(la3).toMatchObject({ period: '2026-12', alreadyClosed: false, currentPeriod: '2027-01' });
    expect(akl3).toMatchObject({ period: '2026-12', alreadyClosed: true, summaryAlertCursor: 0 });
    // A fresh close raises its own summary alert (cursor 0 only when already closed).
    expect(akl1?.summaryAlertCursor).toBeGreaterThan(0);
    expect(la3?.summaryAlertCursor).toBeGreaterThan(0);
    expect(la3?.summaryAlertCursor).not.toBe(akl1?.summaryAlertCursor);
    expect(await closedPeriods(angeles)).toContain('2026-12');
    expect((await closedPeriods(auckland)).filter((p) => p === '2026-12')).toHaveLength(1);
  });

  it('lifts a block with the close, and a second close changes nothing', async () => {
    await h.setCoreClock('2027-01-10T12:00:00Z');
    const tenantId = await createTenant(h.admin, {
      name: 'paris',
      timeZone: 'Europe/Paris',
      addOnUnits: 1,
      environments: [{ id: 'prod', allocation: 1_000 }],
    });
    // 1,300 of 1,000 is 130%: at or above 125%, every operation is refused.
    await h.admin.consumption.recordConsumption(consumption({ tenantId, environmentId: 'prod', credits: 1_300, occurredAt: new Date('2027-01-10T11:00:00Z') }));
    const access = () => h.admin.consumption.checkAccess({ tenantId, environmentId: 'prod', userId: 'user-1', operation: Operation.OPERATION_RUN });
    expect(await access()).toMatchObject({ allowed: false, stage: Stage.STAGE_BLOCKED, reason: DenialReason.DENIAL_REASON_QUOTA_EXCEEDED });

    // 00:10 on 1 Feb in Paris (UTC+1).
    const afterMidnight = '2027-01-31T23:10:00Z';
    await h.setCoreClock(afterMidnight);
    const app = h.newApp({ clock: createSettableClock(afterMidnight) });
    await app.startWorkers();
    const first = await app.runJob('month-close', { tenantId });
    expect(first.ok, first.error).toBe(true);
    expect(first.result).toMatchObject({ tenantId, now: new Date(afterMidnight).toISOString(), period: '2027-01', alreadyClosed: false, currentPeriod: '2027-02' });
    expect((first.result as MonthCloseResult).summaryAlertCursor).toBeGreaterThan(0);
    expect(await access()).toMatchObject({ allowed: true, stage: Stage.STAGE_NORMAL });

    const summary = (await alertsOf(h.admin, tenantId, AlertKind.ALERT_KIND_PERIOD_CLOSED)).filter((a) => a.period === '2027-01');
    expect(summary).toHaveLength(1);
    expect(summary[0]?.totalOverage).toBe(300);
    expect(summary[0]?.byEnvironment.find((l) => l.key === 'prod')?.credits).toBe(1_300);
    const alertsBefore = (await h.admin.alerts.listAlerts({ tenantId, afterCursor: 0, limit: 1000 })).alerts.length;

    const second = await app.runJob('month-close', { tenantId });
    expect(second.ok, second.error).toBe(true);
    expect(second.result).toMatchObject({ period: '2027-01', alreadyClosed: true, summaryAlertCursor: 0, stagesChanged: 0 });
    expect((await h.admin.alerts.listAlerts({ tenantId, afterCursor: 0, limit: 1000 })).alerts).toHaveLength(alertsBefore);
    expect(await access()).toMatchObject({ allowed: true, stage: Stage.STAGE_NORMAL });
  });

  it('catches up at once when started two days after a month boundary it slept through', async () => {
    await h.setCoreClock('2027-02-10T12:00:00Z');
    const tenantId = await createTenant(h.admin, { name: 'late', timeZone: 'UTC', addOnUnits: 1 });
    expect(await closedPeriods(tenantId)).not.toContain('2027-02');

    // Nobody ran at 2027-03-01T00:00Z; the scheduler starts on 3 March.
    const startedAt = '2027-03-03T00:00:00Z';
    await h.setCoreClock(startedAt);
    const app = h.newApp({ clock: createSettableClock(startedAt) });
    await app.start();
    const mine = await eventually(async () => {
      const closes = await app.queues['month-close'].getJobs(['completed']);
      return closes.find((j) => j.data.tenantId === tenantId);
    }, 'the catch-up close job of the tenant');
    expect(mine.id).toMatch(/^month-close\.catch-up\./);
    expect(mine.returnvalue).toMatchObject({ period: '2027-02', alreadyClosed: false, now: new Date(startedAt).toISOString() });
    expect(mine.returnvalue.summaryAlertCursor).toBeGreaterThan(0);
    expect(await closedPeriods(tenantId)).toContain('2027-02');
    // And the regular schedule is in place for the next boundary.
    const s = await app.queues['month-close'].getJobScheduler(schedulerIds.monthClose(tenantId));
    expect(new Date(s?.next ?? 0).toISOString()).toBe('2027-04-01T00:00:00.000Z');
    // The trial sweep of the catch-up ran too.
    const sweep = await eventually(async () => {
      const sweeps = await app.queues.trials.getJobs(['completed']);
      return sweeps.find((j) => j.name === 'trial-sweep' && j.id?.startsWith('trial-sweep.catch-up.'));
    }, 'the catch-up trial sweep');
    expect(sweep.finishedOn).toBeGreaterThan(0);
  });

  it('runs one close by hand with `--once month-close --tenant --now` and exits 0', async () => {
    const now = '2027-04-01T00:05:00Z';
    await h.setCoreClock('2027-03-20T00:00:00Z');
    const tenantId = await createTenant(h.admin, { name: 'once', timeZone: 'UTC', addOnUnits: 1 });
    await h.setCoreClock(now);
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'apps/scheduler/src/main.ts'), '--once', 'month-close', '--tenant', tenantId, '--now', now], {
      cwd: repoRoot,
      env: {
        ...process.env,
        REDIS_URL: h.redis.url,
        CREDIT_CORE_ADDR: h.core.address,
        CREDIT_CORE_ADMIN_KEY: h.core.adminKey,
        SCHEDULER_QUEUE_PREFIX: `once${randomBytes(4).toString('hex')}`,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(0);
    const outcome = JSON.parse(stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop() ?? '{}');
    expect(outcome).toMatchObject({ kind: 'month-close', tenantId, ok: true, result: { period: '2027-03', alreadyClosed: false, now: new Date(now).toISOString() } });
    expect(await closedPeriods(tenantId)).toContain('2027-03');
  });
});
