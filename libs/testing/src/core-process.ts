import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, spawnService } from '@allot/local-services';
import { waitForServing } from '@allot/grpc-client';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface CoreProcess {
  /** host:port of its gRPC server. */
  readonly address: string;
  /** The bootstrap admin key it was started with. */
  readonly adminKey: string;
  readonly logFile: string;
  /** Process group of the running core (its launcher and the Node.js process); changes on restart. */
  readonly pid: number;
  /** Graceful stop (SIGTERM), waits for exit. */
  stop(): Promise<void>;
  /** Hard kill (SIGKILL) of the core, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same address and database (after stop or kill). */
  restart(): Promise<void>;
}

export interface CoreProcessOptions {
  readonly mongodbUri: string;
  /** Enables MaintenanceService.SetTestClock. @defaultValue true */
  readonly testClock?: boolean;
  readonly env?: Record<string, string>;
  /** Fixed port (default: a free one). */
  readonly port?: number;
  /** Extra Node.js options for the core, e.g. `--cpu-prof` (benchmarks). */
  readonly nodeArgs?: readonly string[];
}

/**
 * Runs the real credit core (apps/credit-core/src/main.ts) as its own process, the way `npm run start:core`
 * does, on a free port, and waits until grpc.health.v1 says SERVING. Tests talk to it over real gRPC.
 */
export async function startCoreProcess(options: CoreProcessOptions): Promise<CoreProcess> {
  const port = options.port ?? (await freePort());
  const address = `127.0.0.1:${port}`;
  const adminKey = `test-admin-${randomBytes(12).toString('hex')}`;
  const logDir = join(tmpdir(), 'allot-services');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `credit-core-${port}.log`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MONGODB_URI: options.mongodbUri,
    CREDIT_CORE_ADDR: address,
    CREDIT_CORE_ADMIN_KEY: adminKey,
    CREDIT_CORE_TEST_CLOCK: String(options.testClock ?? true),
    ...options.env,
  };
  const args = [...(options.nodeArgs ?? []), '--import', 'tsx', join(repoRoot, 'apps/credit-core/src/main.ts')];
  let service = spawnService(process.execPath, args, { logFile, tiedToParent: true, env });
  const start = async (): Promise<void> => {
    const died = service.exited.then((code) => {
      throw new Error(`credit core exited (${code}) before serving:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    });
    try {
      await Promise.race([waitForServing(address, 60_000), died]);
    } catch (e) {
      throw new Error(`${(e as Error).message}\ncore log: ${logFile}`);
    }
    died.catch(() => undefined);
  };
  await start();
  return {
    address,
    adminKey,
    logFile,
    get pid() {
      return service.pid;
    },
    stop: () => service.stop(),
    kill: async () => {
      try {
        process.kill(-service.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await service.stop();
    },
    restart: async () => {
      await service.stop();
      service = spawnService(process.execPath, args, { logFile, tiedToParent: true, env });
      await start();
    },
  };
}
