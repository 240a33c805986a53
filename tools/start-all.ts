/**
 * `npm start`: the whole system on one machine. Starts (or reuses) FerretDB and Redis, then the credit core,
 * the scheduler and the chat bot, prints where each listens, and on Ctrl-C stops everything it started.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { devAdminKey, ensureDevServices, spawnService, type SpawnedService } from '@allot/local-services';
import { waitForServing } from '@allot/grpc-client';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line: string): void => {
  process.stdout.write(`[allot] ${line}\n`);
};

/** The admin key: CREDIT_CORE_ADMIN_KEY, or the local dev key (generated once, kept in the cache folder). */
function adminKey(): string {
  return process.env['CREDIT_CORE_ADMIN_KEY'] || (devAdminKey({ create: true }) ?? '');
}

function prefixed(name: string, service: SpawnedService): void {
  for (const stream of [service.stdout, service.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
  }
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(root, 'tools/generate-contracts.mjs')], { stdio: 'ignore' });
  const services = await ensureDevServices(say, { tiedToCaller: true });
  for (const line of services.started) say(`started ${line}`);
  const key = adminKey();
  const coreAddr = process.env['CREDIT_CORE_ADDR'] ?? '127.0.0.1:50051';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MONGODB_URI: services.mongodbUri,
    REDIS_URL: services.redisUrl,
    CREDIT_CORE_ADDR: coreAddr,
    CREDIT_CORE_ADMIN_KEY: key,
    CHATBOT_CORE_KEY: process.env['CHATBOT_CORE_KEY'] ?? key,
  };
  const apps: Array<{ name: string; service: SpawnedService }> = [];
  let stopping = false;
  const stopAll = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      say('stopping…');
      for (const app of [...apps].reverse()) await app.service.stop();
      await services.stop();
      say('stopped');
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const start = (name: string, entry: string): SpawnedService => {
    const service = spawnService(process.execPath, ['--import', 'tsx', join(root, entry)], { logFile: 'pipe', tiedToParent: true, env });
    prefixed(name, service);
    apps.push({ name, service });
    void service.exited.then((code) => {
      if (!stopping) {
        say(`${name} exited (${code}); stopping the rest`);
        void stopAll(1);
      }
    });
    return service;
  };
  start('core', 'apps/credit-core/src/main.ts');
  // Sized for a first start on a busy machine; it returns as soon as the core answers.
  await waitForServing(coreAddr, 5 * 60_000);
  start('scheduler', 'apps/scheduler/src/main.ts');
  start('chatbot', 'apps/chatbot/src/main.ts');
  say('');
  say(`credit core (gRPC)   ${coreAddr}   health: grpc.health.v1.Health/Check`);
  say(`scheduler            Bull Board address printed by [scheduler]`);
  say(`chat bot             http://127.0.0.1:${process.env['CHATBOT_PORT'] ?? '3978'} (/slack/events, /api/messages)`);
  say(`MongoDB (FerretDB)   ${services.mongodbUri}`);
  say(`Redis                ${services.redisUrl}`);
  say(`admin API key        ${key}`);
  say('');
  say('in another terminal:');
  say('  npm run demo     # a demo tenant with usage (uses the admin key above)');
  say('  npm run chat     # the console chat bot');
  say('Ctrl-C stops everything started here.');
}

main().catch((error: Error) => {
  say(`could not start: ${error.message}`);
  process.exit(1);
});
