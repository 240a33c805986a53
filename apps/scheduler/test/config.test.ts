/** Configuration and command line: a missing or malformed variable stops the app with a message naming it. */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli-args';
import { loadSchedulerConfig } from '../src/config';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const valid = { REDIS_URL: 'redis://127.0.0.1:6379', CREDIT_CORE_ADMIN_KEY: 'admin-key-0123456789' };

describe('scheduler configuration', () => {
  it('applies defaults: core at 127.0.0.1:50051, board on 3100, prefix allot', () => {
    expect(loadSchedulerConfig(valid)).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      coreAddr: '127.0.0.1:50051',
      coreAdminKey: 'admin-key-0123456789',
      boardPort: 3100,
      queuePrefix: 'allot',
    });
  });

  it('accepts a Redis Cluster hash-tag prefix and board port 0', () => {
    expect(loadSchedulerConfig({ ...valid, SCHEDULER_QUEUE_PREFIX: '{allot}', SCHEDULER_BOARD_PORT: '0' })).toMatchObject({ queuePrefix: '{allot}', boardPort: 0 });
  });

  it.each([
    [{ CREDIT_CORE_ADMIN_KEY: 'k' }, 'REDIS_URL'],
    [{ REDIS_URL: 'redis://x:1' }, 'CREDIT_CORE_ADMIN_KEY'],
    [{ ...valid, REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ ...valid, CREDIT_CORE_ADDR: 'nohost' }, 'CREDIT_CORE_ADDR'],
    [{ ...valid, SCHEDULER_BOARD_PORT: 'abc' }, 'SCHEDULER_BOARD_PORT'],
    [{ ...valid, SCHEDULER_BOARD_PORT: '70000' }, 'SCHEDULER_BOARD_PORT'],
    [{ ...valid, SCHEDULER_QUEUE_PREFIX: 'a:b' }, 'SCHEDULER_QUEUE_PREFIX'],
  ])('refuses %o naming %s', (env, name) => {
    expect(() => loadSchedulerConfig(env)).toThrow(new RegExp(`- ${name}: `));
  });

  it('stops main.ts with exit code 1 and a message naming the missing variable', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, CREDIT_CORE_ADMIN_KEY: 'k' };
    delete env['REDIS_URL'];
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'apps/scheduler/src/main.ts')], { cwd: repoRoot, env, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/REDIS_URL: REDIS_URL is required/);
  });
});

describe('command line', () => {
  it('runs as a service without arguments', () => {
    expect(parseCliArgs([])).toEqual({ mode: 'service' });
  });

  it('parses --once <kind> --tenant --now', () => {
    expect(parseCliArgs(['--once', 'month-close', '--tenant', 'acme', '--now', '2027-01-01T00:05:00+01:00'])).toEqual({
      mode: 'once',
      kind: 'month-close',
      tenantId: 'acme',
      now: '2026-12-31T23:05:00.000Z',
    });
  });

  it('refuses an unknown job kind, naming the known ones', () => {
    expect(() => parseCliArgs(['--once', 'month-closed'])).toThrow(/unknown job kind "month-closed"; one of: month-close, /);
  });

  it('refuses a --now that is not an instant', () => {
    expect(() => parseCliArgs(['--once', 'forecast', '--now', 'tomorrow'])).toThrow(/--now must be an ISO instant/);
  });
});
