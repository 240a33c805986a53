import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoreProcess, startTestMongo, type CoreProcess, type RunningService } from '@allot/testing';
import { checkHealth } from '@allot/grpc-client';

describe('credit core process', () => {
  let mongo: RunningService;
  let core: CoreProcess;
  beforeAll(async () => {
    mongo = await startTestMongo();
    core = await startCoreProcess({ mongodbUri: mongo.url });
  });
  afterAll(async () => {
    await core?.stop();
    await mongo?.stop();
  });

  it('answers grpc.health.v1 SERVING for the server and each service', async () => {
    expect(await checkHealth(core.address)).toBe('SERVING');
    expect(await checkHealth(core.address, 'credits.v1.ConsumptionService')).toBe('SERVING');
  });

  it('refuses to start without its admin key, naming the variable', async () => {
    await expect(
      startCoreProcess({ mongodbUri: mongo.url, env: { CREDIT_CORE_ADMIN_KEY: '' } }).then(async (c) => {
        await c.stop();
        return 'started';
      }),
    ).rejects.toThrow(/CREDIT_CORE_ADMIN_KEY must be at least 16 characters/);
  });
});
