import { createCoreClient, type CoreClient } from '@allot/grpc-client';
import { startCoreProcess, startTestMongo, type CoreProcess, type RunningService } from '@allot/testing';

/** A real core process on a throwaway FerretDB, with a client holding the bootstrap (unscoped ADMIN) key. */
export interface StoryCore {
  readonly mongo: RunningService;
  readonly core: CoreProcess;
  /** Client with the bootstrap admin key. */
  readonly admin: CoreClient;
  /** A client of the same core with another key (closed by stop()). */
  clientWith(apiKey: string): CoreClient;
  stop(): Promise<void>;
}

/** Starts FerretDB, then the core on it (CREDIT_CORE_TEST_CLOCK=true), the way every story needs it. */
export async function startStoryCore(env?: Record<string, string>): Promise<StoryCore> {
  const mongo = await startTestMongo();
  let core: CoreProcess;
  try {
    core = await startCoreProcess({ mongodbUri: mongo.url, env });
  } catch (e) {
    await mongo.stop();
    throw e;
  }
  const clients: CoreClient[] = [];
  const clientWith = (apiKey: string): CoreClient => {
    const c = createCoreClient({ address: core.address, apiKey });
    clients.push(c);
    return c;
  };
  const admin = clientWith(core.adminKey);
  return {
    mongo,
    core,
    admin,
    clientWith,
    stop: async () => {
      for (const c of clients) c.close();
      await core.stop().catch(() => undefined);
      await mongo.stop();
    },
  };
}
