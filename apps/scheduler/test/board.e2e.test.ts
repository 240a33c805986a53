/**
 * Bull Board: the scheduler serves a page of its queues; headless Chromium (Debian's `chromium`, driven by
 * playwright-core) loads it, and the screenshot lands in apps/scheduler/tmp/bull-board.png.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSettableClock } from '../src/clock';
import { QUEUE_NAMES } from '../src/job-kinds';
import { createTenant, eventually, startHarness, type Harness } from './support/scheduler-harness';

const tmpDir = join(dirname(fileURLToPath(import.meta.url)), '../tmp');

describe('Bull Board page', () => {
  let h: Harness;
  let browser: Browser | undefined;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('shows every queue of the scheduler in headless Chromium', async () => {
    await h.setCoreClock('2027-10-05T00:00:00Z');
    await createTenant(h.admin, { name: 'board', timeZone: 'Europe/London', addOnUnits: 1 });
    const app = h.newApp({ clock: createSettableClock('2027-10-05T00:00:00Z'), board: true });
    await app.start();
    const url = app.boardUrl ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    // Let the catch-up fill the queues so the page has something to show.
    await eventually(async () => ((await app.queues['month-close'].getCompletedCount()) > 0 ? true : undefined), 'catch-up closes');

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url, { waitUntil: 'networkidle' });
    for (const name of QUEUE_NAMES) await page.getByText(name, { exact: true }).first().waitFor({ timeout: 15_000 });
    mkdirSync(tmpDir, { recursive: true });
    const file = join(tmpDir, 'bull-board.png');
    await page.screenshot({ path: file, fullPage: true });
    const text = await page.locator('body').innerText();
    for (const name of QUEUE_NAMES) expect(text).toContain(name);
    expect(await page.title()).toContain('Allot scheduler');
    await app.stop();
  });
});
