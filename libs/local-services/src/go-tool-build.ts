import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localServicesSettings } from './local-services.settings';

/** A Go command-line tool to build from the Go module proxy, e.g. ghz or grpcurl. */
export interface GoTool {
  /** Package path of the command, e.g. `github.com/bojand/ghz/cmd/ghz`. */
  readonly module: string;
  /** Pinned version, e.g. `v0.121.0` (never `latest`: the cache is keyed by it). */
  readonly version: string;
  /** Name of the binary `go install` writes, e.g. `ghz`. */
  readonly binary: string;
}

/** The Go toolchain: GO, else /usr/local/go/bin/go, /usr/bin/go, else `go` on the PATH. */
export function goBinary(): string {
  for (const candidate of [localServicesSettings().goBinary, '/usr/local/go/bin/go', '/usr/bin/go']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return 'go';
}

/** Where a tool is cached, outside the repository: `<ALLOT_CACHE_DIR or ~/.cache/allot>/bin/<binary>-<version>`. */
export function goToolPath(tool: GoTool): string {
  return join(localServicesSettings().cacheDir, 'bin', `${tool.binary}-${tool.version}`);
}

/**
 * Runs `build` while holding a lock directory beside `target`, unless `target` exists (then returns at once).
 * Parallel callers (test workers, two benches) wait for the first one's build instead of building twice; a lock
 * older than 15 minutes belongs to a build that died and is taken over.
 */
export function withBuildLock(target: string, what: string, build: () => void): void {
  if (existsSync(target)) return;
  const dir = join(target, '..');
  mkdirSync(dir, { recursive: true });
  const lock = `${target}.build-lock`;
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(target)) return;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* lock vanished meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for another build of ${what} (lock ${lock})`);
      execFileSync('sleep', ['1']);
    }
  }
  try {
    if (!existsSync(target)) build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Returns the cached binary of a Go tool, building it on first use with `GOBIN=<scratch> go install
 * <module>@<version>` (static, CGO off) and moving it into the cache, so a half-written binary is never seen.
 */
export function buildGoTool(tool: GoTool, log: (line: string) => void = () => undefined): string {
  const target = goToolPath(tool);
  withBuildLock(target, `${tool.binary} ${tool.version}`, () => {
    const go = goBinary();
    log(`building ${tool.binary} ${tool.version} with ${go} (first run only; cached at ${target})`);
    const gobin = mkdtempSync(join(tmpdir(), `go-tool-${tool.binary}-`));
    try {
      execFileSync(go, ['install', `${tool.module}@${tool.version}`], {
        cwd: tmpdir(),
        env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const built = join(gobin, tool.binary);
      if (!existsSync(built)) throw new Error(`go install ${tool.module} wrote ${readdirSync(gobin).join(', ') || 'nothing'}, not ${tool.binary}`);
      execFileSync('mv', [built, target]);
    } finally {
      rmSync(gobin, { recursive: true, force: true });
    }
    log(`${tool.binary} built: ${target}`);
  });
  return target;
}
