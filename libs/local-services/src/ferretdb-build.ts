import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { localServicesSettings } from './local-services.settings';
import { join } from 'node:path';

/** FerretDB release built for development and tests (the MongoDB-compatible test database). */
export const FERRETDB_VERSION = 'v1.24.2';

/** Where the built binary is cached, outside the repository (override with ALLOT_CACHE_DIR). */
export function ferretDbBinaryPath(): string {
  return join(localServicesSettings().cacheDir, `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');
}

function goBinary(): string {
  for (const candidate of [localServicesSettings().goBinary, '/usr/local/go/bin/go', '/usr/bin/go']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return 'go';
}

/**
 * Returns the cached FerretDB binary, building it from the Go module proxy on first use.
 * `go install` of the module panics at start (version.txt is not part of the module), so the module is copied,
 * version.txt written, and cmd/ferretdb built without the SQLite backend. A lock directory keeps parallel
 * callers (test workers) from building twice.
 */
export function ensureFerretDbBinary(log: (line: string) => void = () => undefined): string {
  const binary = ferretDbBinaryPath();
  if (existsSync(binary)) return binary;
  const dir = join(binary, '..');
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, '.build-lock');
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(binary)) return binary;
      // A lock older than 15 minutes belongs to a build that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* lock vanished meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for another FerretDB build (lock ${lock})`);
      execFileSync('sleep', ['1']);
    }
  }
  try {
    if (existsSync(binary)) return binary;
    const go = goBinary();
    const env = { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' };
    log(`building FerretDB ${FERRETDB_VERSION} with ${go} (first run only; cached at ${binary})`);
    const info = JSON.parse(
      execFileSync(go, ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`], {
        env,
        encoding: 'utf8',
        cwd: tmpdir(),
      }),
    ) as { Dir?: string; Error?: string };
    if (!info.Dir) throw new Error(`go mod download failed: ${info.Error ?? 'no module directory'}`);
    const work = mkdtempSync(join(tmpdir(), 'ferretdb-src-'));
    try {
      cpSync(info.Dir, work, { recursive: true });
      execFileSync('chmod', ['-R', 'u+w', work]);
      writeFileSync(join(work, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
      const tmpBinary = `${binary}.tmp-${process.pid}`;
      execFileSync(go, ['build', '-tags', 'ferretdb_no_sqlite', '-o', tmpBinary, './cmd/ferretdb'], {
        cwd: work,
        env,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      chmodSync(tmpBinary, 0o755);
      execFileSync('mv', [tmpBinary, binary]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    log(`FerretDB built: ${binary}`);
    return binary;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
