import { join } from 'node:path';
import { isListening } from './free-port';
import { startFerretDb } from './ferretdb-instance';
import { startRedis } from './redis-instance';
import { localServicesSettings } from './local-services.settings';

export interface DevServices {
  readonly mongodbUri: string;
  readonly redisUrl: string;
  /** What was started now (empty when everything was reused or given). */
  readonly started: readonly string[];
  /** Stops what this call started (nothing when reused); data in PostgreSQL is kept. */
  stop(): Promise<void>;
}

/**
 * Development services that outlive the command: FerretDB on ALLOT_FERRETDB_PORT (default 27018, PostgreSQL
 * database ALLOT_DEV_DATABASE, default allot_dev) and Redis on ALLOT_REDIS_PORT (default 6390). Reused when already listening;
 * MONGODB_URI / REDIS_URL, when set, are used instead.
 */
export async function ensureDevServices(
  log: (line: string) => void,
  options: { tiedToCaller?: boolean } = {},
): Promise<DevServices> {
  const started: string[] = [];
  const stops: Array<() => Promise<void>> = [];
  const tied = options.tiedToCaller ?? false;
  const settings = localServicesSettings();
  const logDir = join(settings.cacheDir, 'dev');
  let mongodbUri = settings.mongodbUri;
  if (!mongodbUri) {
    const port = settings.ferretDbPort;
    if (!(await isListening(port))) {
      const ferret = await startFerretDb({ postgresDatabase: settings.devDatabase, port, mongoDatabase: 'allot', throwaway: false, tiedToParent: tied, logDir, log });
      stops.push(() => ferret.stop());
      started.push(`FerretDB on 127.0.0.1:${port} (PostgreSQL database ${settings.devDatabase}, log ${logDir}/ferretdb-${port}.log)`);
    }
    mongodbUri = `mongodb://127.0.0.1:${port}/allot`;
  }
  let redisUrl = settings.redisUrl;
  if (!redisUrl) {
    const port = settings.redisPort;
    if (!(await isListening(port))) {
      const redis = await startRedis({ port, throwaway: false, tiedToParent: tied, logDir, log });
      stops.push(() => redis.stop());
      started.push(`Redis on 127.0.0.1:${port} (log ${logDir}/redis-${port}.log)`);
    }
    redisUrl = `redis://127.0.0.1:${port}`;
  }
  return { mongodbUri, redisUrl, started, stop: async () => void (await Promise.all(stops.map((s) => s()))) };
}
