import { startChatbot } from './chatbot.app';
import { ConfigError, parseConfig } from './config';

/** `npm run start:chatbot`: reads the environment once, starts the bot, stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`chatbot: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const bot = await startChatbot(config);
  const channels = [config.slack ? `Slack on ${bot.url}/slack/events` : 'Slack off (no SLACK_BOT_TOKEN)', config.teams ? `Teams on ${bot.url}/api/messages${config.teams.appId ? '' : ' (no MicrosoftAppId: unauthenticated emulation)'}` : 'Teams off (no MicrosoftAppId)'];
  console.log(`chatbot listening on ${config.host}:${bot.port}; ${channels.join('; ')}; health ${bot.url}/healthz; core ${config.coreAddress}; tenants ${config.tenants.map((t) => `${t.platform}:${t.externalId}=${t.tenantId}`).join(',') || 'none'}`);
  const shutdown = (): void => {
    void bot.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error('chatbot failed to start:', error);
  process.exit(1);
});
