import { randomBytes } from 'node:crypto';
import { startFerretDb, type RunningService } from './ferretdb-instance';
import { startRedis } from './redis-instance';
import { localServicesSettings } from './local-services.settings';

/**
 * A throwaway MongoDB-compatible database for one test file: a fresh FerretDB on a free port with its own
 * PostgreSQL database, dropped on stop. With MONGODB_URI set (e.g. a real MongoDB 6+), a fresh database on that
 * server is used instead.
 */
export async function startTestMongo(options: { readonly poolMaxConns?: number } = {}): Promise<RunningService> {
  const suffix = randomBytes(5).toString('hex');
  const external = localServicesSettings().mongodbUri;
  if (external) {
    const url = new URL(external);
    url.pathname = `/allot_t_${suffix}`;
    return { url: url.toString(), port: Number(url.port || 27017), logFile: '', stop: async () => undefined };
  }
  return startFerretDb({ postgresDatabase: `allot_t_${suffix}`, mongoDatabase: 'allot', throwaway: true, ...options });
}

/** A throwaway Redis on a free port (always its own: tests may stop it). */
export async function startTestRedis(): Promise<RunningService> {
  return startRedis({ throwaway: true });
}
