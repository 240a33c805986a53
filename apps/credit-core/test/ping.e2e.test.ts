import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { Role } from '@allot/contracts';
import { createCoreClient, type CoreCallError, type CoreClient } from '@allot/grpc-client';
import { startCoreProcess, startTestMongo, type CoreProcess, type RunningService } from '@allot/testing';

// MaintenanceService.Ping: the benchmark's no-op ceiling, behind the same authentication as every call.
describe('MaintenanceService.Ping', () => {
  let mongo: RunningService;
  let core: CoreProcess;
  let admin: CoreClient;
  const clients: CoreClient[] = [];
  const client = (apiKey: string) => {
    const c = createCoreClient({ address: core.address, apiKey });
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    mongo = await startTestMongo();
    core = await startCoreProcess({ mongodbUri: mongo.url });
    admin = client(core.adminKey);
    await admin.admin.createTenant({ tenantId: 'ping-t', displayName: 'Ping', timeZone: 'UTC' });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await core?.stop();
    await mongo?.stop();
  });

  it('answers any valid key, whatever its role or tenant scope', async () => {
    expect(await admin.maintenance.ping({})).toEqual({});
    for (const role of [Role.ROLE_READER, Role.ROLE_INGEST, Role.ROLE_ADMIN]) {
      const key = await admin.admin.createApiKey({ tenantId: 'ping-t', role, description: 'ping' });
      expect(await client(key.apiKey).maintenance.ping({})).toEqual({});
    }
  });

  it('refuses a missing or unknown key (UNAUTHENTICATED)', async () => {
    const err = (await client('not-a-key-at-all-0000').maintenance.ping({}).catch((e: unknown) => e)) as CoreCallError;
    expect(err.code).toBe(status.UNAUTHENTICATED);
  });
});
