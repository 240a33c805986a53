import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { localServicesSettings } from './local-services.settings';
import { join } from 'node:path';
import { goBinary, withBuildLock } from './go-tool-build';

/** FerretDB release built for development and tests (the MongoDB-compatible test database). */
export const FERRETDB_VERSION = 'v1.24.2';

/** Where the built binary is cached, outside the repository (override with ALLOT_CACHE_DIR). */
export function ferretDbBinaryPath(): string {
  return join(localServicesSettings().cacheDir, `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');
}

/**
 * Returns the cached FerretDB binary, building it from the Go module proxy on first use.
 * `go install` of the module panics at start (version.txt is not part of the module), so the module is copied,
 * version.txt written, and cmd/ferretdb built without the SQLite backend. A lock keeps parallel callers (test
 * workers) from building twice.
 */
export function ensureFerretDbBinary(log: (line: string) => void = () => undefined): string {
  const binary = ferretDbBinaryPath();
  withBuildLock(binary, `FerretDB ${FERRETDB_VERSION}`, () => {
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
  });
  return binary;
}
