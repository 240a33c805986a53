import { describe, expect, it } from 'vitest';
import { readLocalServicesSettings } from './local-services.settings';

describe('local services settings', () => {
  it('defaults to the dev ports and the local PostgreSQL', () => {
    const s = readLocalServicesSettings({ HOME: '/home/ada' });
    expect([s.ferretDbPort, s.redisPort, s.postgresUrl]).toEqual([27018, 6390, 'postgres://postgres@127.0.0.1:5432']);
    expect(s.mongodbUri).toBeUndefined();
    expect(s.devDatabase).toBe('allot_dev');
  });

  it('takes given values and trims a trailing slash off the PostgreSQL URL', () => {
    const s = readLocalServicesSettings({ ALLOT_FERRETDB_PORT: '28000', ALLOT_POSTGRES_URL: 'postgres://u@db:5433/', MONGODB_URI: 'mongodb://m:27017/x' });
    expect([s.ferretDbPort, s.postgresUrl, s.mongodbUri]).toEqual([28000, 'postgres://u@db:5433', 'mongodb://m:27017/x']);
  });

  it('refuses a malformed port, naming the variable', () => {
    expect(() => readLocalServicesSettings({ ALLOT_REDIS_PORT: 'six' })).toThrow(/ALLOT_REDIS_PORT must be a port number/);
  });

  it('takes a dev database name and refuses one PostgreSQL would not, naming the variable', () => {
    expect(readLocalServicesSettings({ ALLOT_DEV_DATABASE: 'allot_readme_1' }).devDatabase).toBe('allot_readme_1');
    expect(() => readLocalServicesSettings({ ALLOT_DEV_DATABASE: 'drop table;' })).toThrow(/ALLOT_DEV_DATABASE must be a PostgreSQL database name/);
  });
});
