import { execFileSync } from 'node:child_process';
import { localServicesSettings } from './local-services.settings';

/** PostgreSQL server FerretDB stores its data in (override with ALLOT_POSTGRES_URL). */
export function postgresBaseUrl(): string {
  return localServicesSettings().postgresUrl;
}

function psql(sql: string): string {
  try {
    return execFileSync('psql', [`${postgresBaseUrl()}/postgres`, '-v', 'ON_ERROR_STOP=1', '-tAc', sql], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? String(e);
    throw new Error(`PostgreSQL at ${postgresBaseUrl()} refused "${sql}": ${stderr.trim()}`);
  }
}

/** Creates a UTF8 / locale C database (what FerretDB needs) unless it exists. */
export function ensurePostgresDatabase(name: string): void {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`invalid database name ${name}`);
  const exists = psql(`SELECT 1 FROM pg_database WHERE datname = '${name}'`).trim() === '1';
  if (!exists) psql(`CREATE DATABASE ${name} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`);
}

export function dropPostgresDatabase(name: string): void {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`invalid database name ${name}`);
  psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
