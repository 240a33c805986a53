/**
 * Graceful shutdown: stopping lets a running job finish (worker.close waits for it); the real process prints
 * the Bull Board address at start and exits 0 on SIGTERM, without printing its API key.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSettableClock } from '../src/clock';
import { createTenant, eventually, startHarness, type Harness } from './support/scheduler-harness';
import { startSlowRelay } from './support/slow-relay';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('graceful shutdown', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('lets a running job finish before stopping', async () => {
    await h.setCoreClock('2027-11-10T00:00:00Z');
    const tenantId = await createTenant(h.admin, { name: 'slow', timeZone: 'UTC', addOnUnits: 1 });
    await h.setCoreClock('2027-12-01T00:10:00Z');
    const relay = await startSlowRelay(h.core.address, 700);
    try {
      const app = h.newApp({ clock: createSettableClock('2027-12-01T00:10:00Z'), coreAddr: relay.address });
      await app.startWorkers();
      const job = await app.queues['month-close'].add('month-close', { tenantId });
      await eventually(async () => ((await job.getState()) === 'active' ? true : undefined), 'the job to be running');

      const stopStarted = Date.now();
      await app.stop(); // what SIGTERM does
      expect(Date.now() - stopStarted).toBeGreaterThan(300);
      // Read the outcome through a second scheduler on the same queues (the first one is closed now).
      const reader = h.newApp({ queuePrefix: app.queuePrefix });
      const after = await reader.queues['month-close'].getJob(job.id ?? '');
      expect(await after?.getState()).toBe('completed');
      expect(after?.returnvalue).toMatchObject({ tenantId, period: '2027-11', alreadyClosed: false });
    } finally {
      await relay.close();
    }
  });

  it('prints the Bull Board address at start and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'apps/scheduler/src/main.ts')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        REDIS_URL: h.redis.url,
        CREDIT_CORE_ADDR: h.core.address,
        CREDIT_CORE_ADMIN_KEY: h.core.adminKey,
        SCHEDULER_BOARD_PORT: '0',
        SCHEDULER_QUEUE_PREFIX: `proc${randomBytes(4).toString('hex')}`,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const url = await eventually(async () => /Bull Board: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1], 'the board address', 30_000);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/scheduler stopping: letting running jobs finish signal=SIGTERM/);
    expect(stdout).toMatch(/scheduler stopped/);
    // The admin key it was given never reaches its log.
    expect(`${stdout}${stderr}`.includes(h.core.adminKey)).toBe(false);
  });
});
