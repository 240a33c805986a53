/**
 * One in-process credit core over a throwaway FerretDB (or MONGODB_URI) for the e2e tests that need to alter the
 * database between two starts: startCore runs in this process, so a test can stop it, change documents, and start it
 * again on the same port, where the clients it already holds reconnect.
 */
import { afterAll, beforeAll } from 'vitest';
import { createCoreClient, type CoreCallError, type CoreClient } from '@allot/grpc-client';
import { startTestMongo, type RunningService } from '@allot/testing';
import { startCore, type RunningCore } from '../../src/core';
import { createLogger } from '../../src/logger';
import type { CoreConfig } from '../../src/config';

export { status } from '@grpc/grpc-js';

export interface InProcessCore {
  readonly mongo: RunningService;
  /** A client holding the bootstrap admin key. */
  readonly admin: CoreClient;
  /** A client for this key, closed after all tests. */
  client(apiKey: string): CoreClient;
  /** Stops the core, leaving the database as it is. */
  stopCore(): Promise<void>;
  /** Starts the core again on the port of the first start. */
  startCore(): Promise<void>;
  restart(): Promise<void>;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is only there once beforeAll has run`);
  return value;
}

/** Registers beforeAll/afterAll that start and stop the core; call it inside a describe. */
export function useInProcessCore(adminKey: string): InProcessCore {
  let mongo: RunningService | undefined;
  let core: RunningCore | undefined;
  let admin: CoreClient | undefined;
  let port = 0;
  const clients: CoreClient[] = [];
  const config = (): CoreConfig => ({
    mongodbUri: required(mongo, 'mongo').url,
    listenAddr: `127.0.0.1:${port}`,
    adminKey,
    testClock: true,
    commitDelayMs: 2,
  });
  const client = (apiKey: string): CoreClient => {
    const c = createCoreClient({ address: required(core, 'core').address, apiKey });
    clients.push(c);
    return c;
  };
  const stopCore = async (): Promise<void> => {
    await required(core, 'core').stop();
  };
  const start = async (): Promise<void> => {
    core = await startCore(config(), createLogger(true));
  };

  beforeAll(async () => {
    mongo = await startTestMongo();
    core = await startCore({ ...config(), listenAddr: '127.0.0.1:0' }, createLogger(true));
    port = Number(core.address.split(':')[1]);
    admin = client(adminKey);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await core?.stop();
    await mongo?.stop();
  });

  return {
    get mongo() {
      return required(mongo, 'mongo');
    },
    get admin() {
      return required(admin, 'admin');
    },
    client,
    stopCore,
    startCore: start,
    restart: async () => {
      await stopCore();
      await start();
    },
  };
}

/** Awaits a call that must fail and returns its error. */
export async function refused(p: Promise<unknown>): Promise<CoreCallError> {
  try {
    await p;
  } catch (e) {
    return e as CoreCallError;
  }
  throw new Error('expected the call to be refused');
}

export { eventually } from '@allot/testing';
