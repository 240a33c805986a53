/**
 * `npm run chat`: the console channel. Reads and validates its configuration here (and only here), then talks
 * to the credit core through the same conversation core as Slack and Teams.
 *   CREDIT_CORE_ADDR (default 127.0.0.1:50051), CHATBOT_CORE_KEY (or CREDIT_CORE_ADMIN_KEY, or the local key
 *   `npm start` generated on this machine),
 *   CHAT_TENANT (default: the only tenant, else the demo tenant contoso, else a question), CHAT_USER (default console-user).
 */
import { createCoreClient } from '@allot/grpc-client';
import { devAdminKey } from '@allot/local-services';
import { createConversation } from './conversation';
import { ConsoleConfigError, loadConsoleConfig } from './console/console.config';
import { ConsoleStartError, runConsole } from './console/console.channel';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConsoleConfig(process.env, devAdminKey({ create: false }));
  } catch (e) {
    if (e instanceof ConsoleConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const core = createCoreClient({ address: config.coreAddress, apiKey: config.coreApiKey });
  try {
    await runConsole({
      conversation: createConversation({ core }),
      core,
      coreAddress: config.coreAddress,
      tenantId: config.tenantId,
      userId: config.userId,
      input: process.stdin,
      output: process.stdout,
      interactive: process.stdin.isTTY === true,
    });
    return 0;
  } catch (e) {
    if (e instanceof ConsoleStartError) {
      process.stderr.write(`chat: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    core.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`chat: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
