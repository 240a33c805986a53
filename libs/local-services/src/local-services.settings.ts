import { homedir } from 'node:os';
import { join } from 'node:path';

/** Everything the local services read from the environment, read in this one place. */
export interface LocalServicesSettings {
  /** FerretDB build cache, dev logs, dev admin key. @defaultValue ~/.cache/allot (ALLOT_CACHE_DIR) */
  readonly cacheDir: string;
  /** PostgreSQL that FerretDB stores into. @defaultValue postgres://postgres@127.0.0.1:5432 (ALLOT_POSTGRES_URL) */
  readonly postgresUrl: string;
  /** Go toolchain used to build FerretDB (GO), else /usr/local/go/bin/go, /usr/bin/go, go. */
  readonly goBinary: string | undefined;
  /** An existing MongoDB (MONGODB_URI): used instead of starting FerretDB. */
  readonly mongodbUri: string | undefined;
  /** An existing Redis (REDIS_URL): used instead of starting one (dev services only). */
  readonly redisUrl: string | undefined;
  /** Port of the dev FerretDB. @defaultValue 27018 (ALLOT_FERRETDB_PORT) */
  readonly ferretDbPort: number;
  /** Port of the dev Redis. @defaultValue 6390 (ALLOT_REDIS_PORT) */
  readonly redisPort: number;
  /** PostgreSQL database the dev FerretDB stores into. @defaultValue allot_dev (ALLOT_DEV_DATABASE) */
  readonly devDatabase: string;
}

function port(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number (1-65535), got "${value}"`);
  return n;
}

function database(value: string | undefined, name: string, fallback: string): string {
  if (value === undefined || value === '') return fallback;
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(value)) throw new Error(`${name} must be a PostgreSQL database name (a-z, 0-9, _; starting with a letter), got "${value}"`);
  return value;
}

/** Reads and validates the settings; a malformed value throws an Error naming the variable. */
export function readLocalServicesSettings(env: NodeJS.ProcessEnv): LocalServicesSettings {
  return {
    cacheDir: env['ALLOT_CACHE_DIR'] || join(homedir(), '.cache', 'allot'),
    postgresUrl: (env['ALLOT_POSTGRES_URL'] || 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, ''),
    goBinary: env['GO'] || undefined,
    mongodbUri: env['MONGODB_URI'] || undefined,
    redisUrl: env['REDIS_URL'] || undefined,
    ferretDbPort: port(env['ALLOT_FERRETDB_PORT'], 'ALLOT_FERRETDB_PORT', 27018),
    redisPort: port(env['ALLOT_REDIS_PORT'], 'ALLOT_REDIS_PORT', 6390),
    devDatabase: database(env['ALLOT_DEV_DATABASE'], 'ALLOT_DEV_DATABASE', 'allot_dev'),
  };
}

let current: LocalServicesSettings | undefined;

/** The settings of this process, read from its environment once, on first use. */
export function localServicesSettings(): LocalServicesSettings {
  // The one place this library looks at the process environment.
  current ??= readLocalServicesSettings(process.env);
  return current;
}
