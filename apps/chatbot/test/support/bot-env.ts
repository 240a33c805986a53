import { randomBytes } from 'node:crypto';
import { EntitlementKind, Operation, type RecordConsumptionRequest } from '@allot/contracts';
import { createCoreClient, type CoreClient } from '@allot/grpc-client';
import { startCoreProcess, startTestMongo, type CoreProcess, type RunningService } from '@allot/testing';
import { startChatbot, type RunningChatbot, type StartChatbotOptions } from '../../src/chatbot.app';
import type { ChatbotConfig } from '../../src/config';
import type { Conversation } from '../../src/conversation/conversation.types';
import { FakeBotConnector } from './fake-bot-connector';
import { FakeSlackApi } from './fake-slack-api';

export const SLACK_TEAM = 'T0123';
export const SLACK_TRIAL_TEAM = 'T0TRIAL';
export const SLACK_DUAL_TEAM = 'T0DUAL';
export const TEAMS_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const SLACK_ADMIN = 'UADMIN';
export const SLACK_MEMBER = 'UMEMBER';
export const TEAMS_ADMIN = 'aad-admin-0001';

/** A real core on FerretDB, fake Slack and connector servers, and the bot in-process (restartable). */
export interface BotEnv {
  readonly mongo: RunningService;
  readonly core: CoreProcess;
  readonly admin: CoreClient;
  readonly tenantId: string;
  /** Mapped from SLACK_TRIAL_TEAM; not created (tests that need it create it without capacity). */
  readonly trialTenantId: string;
  /** Mapped from SLACK_DUAL_TEAM; not created (tests that need a DUAL tenant create it). */
  readonly dualTenantId: string;
  readonly slack: FakeSlackApi;
  readonly connector: FakeBotConnector;
  readonly config: ChatbotConfig;
  bot: RunningChatbot;
  /** Calls that reached the conversation core (handle + homeSummary), counted by every bot started here. */
  readonly conversationCalls: { count: number };
  restartBot(): Promise<void>;
  stop(): Promise<void>;
  consume(environmentId: string, credits: number, userId?: string): Promise<void>;
}

/** Counts calls into the conversation core, so a test can prove a refused request never reached it. */
function counting(calls: { count: number }): StartChatbotOptions['wrapConversation'] {
  return (c: Conversation): Conversation => ({
    handle: (text, ctx) => {
      calls.count += 1;
      return c.handle(text, ctx);
    },
    homeSummary: (ctx) => {
      calls.count += 1;
      return c.homeSummary(ctx);
    },
    renderAlert: (a) => c.renderAlert(a),
    decide: (id, approve, ctx) => {
      calls.count += 1;
      return c.decide(id, approve, ctx);
    },
  });
}

export async function startBotEnv(overrides: Partial<ChatbotConfig> = {}): Promise<BotEnv> {
  const mongo = await startTestMongo();
  const core = await startCoreProcess({ mongodbUri: mongo.url });
  const admin = createCoreClient({ address: core.address, apiKey: core.adminKey });
  const tenantId = `acme-${randomBytes(3).toString('hex')}`;
  const slack = await new FakeSlackApi(SLACK_TEAM).start();
  const connector = await new FakeBotConnector().start();
  const config: ChatbotConfig = {
    port: 0,
    host: '127.0.0.1',
    slack: { botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl },
    teams: { appId: '', appPassword: '', appType: 'MultiTenant' },
    tenants: [
      { platform: 'slack', externalId: SLACK_TEAM, tenantId },
      { platform: 'teams', externalId: TEAMS_TENANT, tenantId },
      { platform: 'slack', externalId: SLACK_TRIAL_TEAM, tenantId: `${tenantId}-trial` },
      { platform: 'slack', externalId: SLACK_DUAL_TEAM, tenantId: `${tenantId}-dual` },
    ],
    admins: [SLACK_ADMIN, TEAMS_ADMIN],
    coreAddress: core.address,
    coreApiKey: core.adminKey,
    bindingRefreshMs: 1_000,
    ...overrides,
  };
  const conversationCalls = { count: 0 };
  const quiet = (): void => undefined;
  const options: StartChatbotOptions = { wrapConversation: counting(conversationCalls), backoff: { baseMs: 50, maxMs: 1_000 }, log: process.env['CHATBOT_TEST_LOG'] ? undefined : quiet };
  let seq = 0;
  const env: BotEnv = {
    mongo,
    core,
    admin,
    tenantId,
    trialTenantId: `${tenantId}-trial`,
    dualTenantId: `${tenantId}-dual`,
    slack,
    connector,
    config,
    bot: await startChatbot(config, options),
    conversationCalls,
    restartBot: async () => {
      await env.bot.stop();
      env.bot = await startChatbot(config, options);
    },
    stop: async () => {
      await env.bot.stop().catch(() => undefined);
      admin.close();
      await slack.stop();
      await connector.stop();
      await core.stop().catch(() => undefined);
      await mongo.stop();
    },
    consume: async (environmentId, credits, userId = 'ada@acme.test') => {
      seq += 1;
      await admin.consumption.recordConsumption(consumption(tenantId, environmentId, credits, userId, `e2e-${seq}-${Date.now()}`));
    },
  };
  return env;
}

export function consumption(tenantId: string, environmentId: string, credits: number, userId: string, key: string): RecordConsumptionRequest {
  return {
    tenantId,
    environmentId,
    userId,
    idempotencyKey: key,
    occurredAt: new Date(Date.now() - 1_000),
    operation: Operation.OPERATION_RUN,
    credits,
    capability: '',
    quantity: 0,
    sourceId: '',
  };
}

/**
 * Acme: one capacity add-on (1,000,000 credits a month), "Sales Prod" with 600,000 and "Dev" with 100,000
 * allocated (no fallback to the tenant pool), 300,000 unassigned.
 */
export async function seedAcme(env: BotEnv): Promise<void> {
  const { admin, tenantId } = env;
  await admin.admin.createTenant({ tenantId, displayName: 'Acme', timeZone: 'UTC' });
  await admin.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
  await admin.admin.createEnvironment({ tenantId, environmentId: 'sales-prod', displayName: 'Sales Prod', tenantPoolFallback: false });
  await admin.admin.createEnvironment({ tenantId, environmentId: 'dev', displayName: 'Dev', tenantPoolFallback: false });
  await admin.admin.setAllocation({ tenantId, environmentId: 'sales-prod', credits: 600_000 });
  await admin.admin.setAllocation({ tenantId, environmentId: 'dev', credits: 100_000 });
}
