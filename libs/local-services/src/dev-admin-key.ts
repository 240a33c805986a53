import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { localServicesSettings } from './local-services.settings';

/** Where `npm start` keeps the admin key it generated, so `npm run demo` and `npm run chat` can find it. */
export function devAdminKeyFile(): string {
  return join(localServicesSettings().cacheDir, 'dev', 'admin-key');
}

/** The local development admin key: read from its file, or (create) generated once and stored with mode 0600. */
export function devAdminKey(options: { create: boolean }): string | undefined {
  const file = devAdminKeyFile();
  if (existsSync(file)) return readFileSync(file, 'utf8').trim() || undefined;
  if (!options.create) return undefined;
  mkdirSync(join(file, '..'), { recursive: true });
  const key = `allot-dev-${randomBytes(16).toString('hex')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
