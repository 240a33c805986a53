import { execFileSync } from 'node:child_process';
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { freePort, waitForPort } from './free-port';
import { spawnService } from './process-tree';
import type { RunningService } from './ferretdb-instance';

/** Finds Debian's redis-server, installing the package when missing and allowed (root, CI). */
export function ensureRedisServer(log: (line: string) => void = () => undefined): string {
  for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    if (existsSync(candidate)) return candidate;
  }
  if (process.getuid?.() === 0) {
    log('redis-server missing: installing Debian package redis-server');
    execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server'], {
      stdio: 'inherit',
    });
    if (existsSync('/usr/bin/redis-server')) return '/usr/bin/redis-server';
  }
  throw new Error('redis-server not found: install it with `apt-get install redis-server`, or set REDIS_URL');
}

export interface RedisOptions {
  readonly port?: number;
  readonly throwaway: boolean;
  /** Dies with this process (default: same as throwaway). */
  readonly tiedToParent?: boolean;
  readonly logDir?: string;
  readonly log?: (line: string) => void;
}

/** Starts a Redis with nothing on disk and `maxmemory-policy noeviction` (what BullMQ needs). */
export async function startRedis(options: RedisOptions): Promise<RunningService> {
  const binary = ensureRedisServer(options.log);
  const port = options.port ?? (await freePort());
  const logDir = options.logDir ?? join(tmpdir(), 'allot-services');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `redis-${port}.log`);
  const service = spawnService(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', logDir, '--daemonize', 'no'],
    { logFile, tiedToParent: options.tiedToParent ?? options.throwaway },
  );
  await waitForPort(port, `Redis (log: ${logFile})`);
  return { url: `redis://127.0.0.1:${port}`, port, logFile, stop: () => service.stop() };
}
