import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ensureFerretDbBinary } from './ferretdb-build';
import { freePort, waitForPort } from './free-port';
import { postgresBaseUrl, ensurePostgresDatabase, dropPostgresDatabase } from './postgres-admin';
import { spawnService } from './process-tree';

export interface RunningService {
  /** Connection string: mongodb://... or redis://... */
  readonly url: string;
  readonly port: number;
  readonly logFile: string;
  stop(): Promise<void>;
}

export interface FerretDbOptions {
  /** PostgreSQL database for this instance (created if missing). */
  readonly postgresDatabase: string;
  /** Default: a free port. */
  readonly port?: number;
  /** Database name put into the returned URL. */
  readonly mongoDatabase?: string;
  /** Throwaway instances die with this process and drop their PostgreSQL database on stop. */
  readonly throwaway: boolean;
  /** Dies with this process (default: same as throwaway). */
  readonly tiedToParent?: boolean;
  readonly logDir?: string;
  readonly log?: (line: string) => void;
  /**
   * FerretDB's PostgreSQL pool (default 12 for throwaway instances, 20 otherwise). FerretDB 1.24 holds two
   * connections for some commands (an update takes one for its transaction and another inside it), so it
   * deadlocks once more than half the pool's worth of commands run at once: keep the clients' maxPoolSize summed
   * at most half of this (docs/operations.md).
   */
  readonly poolMaxConns?: number;
}

/** Starts FerretDB (MongoDB wire protocol) on the local PostgreSQL. */
export async function startFerretDb(options: FerretDbOptions): Promise<RunningService> {
  const binary = ensureFerretDbBinary(options.log);
  ensurePostgresDatabase(options.postgresDatabase);
  const port = options.port ?? (await freePort());
  const logDir = options.logDir ?? join(tmpdir(), 'allot-services');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `ferretdb-${port}.log`);
  const service = spawnService(
    binary,
    [
      '--handler=postgresql',
      // FerretDB's default pool is 50 PostgreSQL connections; with several test instances at once that exhausts
      // PostgreSQL's default max_connections (100), so throwaway instances take few.
      `--postgresql-url=${postgresBaseUrl()}/${options.postgresDatabase}?pool_max_conns=${options.poolMaxConns ?? (options.throwaway ? 12 : 20)}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--telemetry=disable',
      '--debug-addr=-',
      '--state-dir=-',
      '--log-level=error',
    ],
    { logFile, tiedToParent: options.tiedToParent ?? options.throwaway },
  );
  await waitForPort(port, `FerretDB (log: ${logFile})`);
  const url = `mongodb://127.0.0.1:${port}/${options.mongoDatabase ?? 'allot'}`;
  return {
    url,
    port,
    logFile,
    stop: async () => {
      await service.stop();
      if (options.throwaway) dropPostgresDatabase(options.postgresDatabase);
    },
  };
}
