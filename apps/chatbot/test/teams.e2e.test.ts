/**
 * Teams end to end: activities posted to /api/messages, botbuilder's CloudAdapter replying to the activity's
 * serviceUrl (a local fake Bot Connector), the real conversation core and a real credit core on FerretDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatbot } from '../src/chatbot.app';
import { seedAcme, startBotEnv, TEAMS_ADMIN, TEAMS_TENANT, type BotEnv } from './support/bot-env';
import { teamsMessage, type ConnectorPost } from './support/fake-bot-connector';
import { waitFor } from './support/http-server';

describe('Teams: questions through CloudAdapter', () => {
  let env: BotEnv;

  beforeAll(async () => {
    env = await startBotEnv();
    await seedAcme(env);
    await env.consume('sales-prod', 450_000, 'ada@acme.test');
    await env.consume('dev', 30_000, 'bob@acme.test');
  }, 180_000);
  afterAll(async () => {
    await env?.stop();
  });

  async function ask(text: string, conversationId: string, tenant = TEAMS_TENANT): Promise<ConnectorPost> {
    const activity = teamsMessage({ serviceUrl: env.connector.serviceUrl, text, conversationId, tenantId: tenant, userAadId: TEAMS_ADMIN });
    const res = await fetch(`${env.bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(res.status).toBe(200);
    const reply = await waitFor(() => env.connector.postsTo(conversationId).find((p) => p.replyToId === activity['id']), `reply to "${text}"`);
    return reply;
  }

  const card = (post: ConnectorPost): { version?: string; body?: unknown[] } => {
    const attachment = post.activity.attachments?.[0];
    expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    return attachment?.content ?? {};
  };

  it('answers a channel message that mentions the bot with an Adaptive Card 1.5 (Sales Prod: 150,000 left)', async () => {
    const post = await ask('<at>Allot</at> how many credits left in sales prod?', '19:channel-1@thread.tacv2');
    const c = card(post);
    expect(c.version).toBe('1.5');
    expect(JSON.stringify(c.body)).toContain('150,000');
    expect(post.activity.summary).toContain('150,000');
  });

  it('answers top consumers, status and the tenant balance with the core\'s numbers', async () => {
    const top = await ask('who used the most credits?', 'a:personal-chat-1');
    expect(JSON.stringify(card(top))).toContain('450,000');
    const status = await ask('status', 'a:personal-chat-1');
    expect(JSON.stringify(card(status))).toContain('Sales Prod');
    const balance = await env.admin.reporting.getBalance({ tenantId: env.tenantId, environmentId: '', userId: '', period: '' });
    const total = await ask('balance', 'a:personal-chat-1');
    expect(JSON.stringify(card(total))).toContain(balance.remaining.toLocaleString('en-US'));
  });

  it('an unmapped Teams tenant gets a clear answer', async () => {
    const post = await ask('balance', 'a:personal-chat-2', 'ffffffff-0000-0000-0000-000000000000');
    expect(post.activity.summary).toMatch(/not connected/);
  });

  it('refuses an unauthenticated request when MicrosoftAppId is set', async () => {
    const secured = await startChatbot(
      { ...env.config, slack: undefined, teams: { appId: '00000000-1111-2222-3333-444444444444', appPassword: 'secret', appType: 'MultiTenant' } },
      { log: () => undefined },
    );
    try {
      const before = env.connector.posts.length;
      const activity = teamsMessage({ serviceUrl: env.connector.serviceUrl, text: 'balance', conversationId: 'a:intruder', tenantId: TEAMS_TENANT, userAadId: TEAMS_ADMIN });
      const res = await fetch(`${secured.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      expect(res.status).toBe(401);
      await new Promise((r) => setTimeout(r, 300));
      expect(env.connector.posts.length).toBe(before);
    } finally {
      await secured.stop();
    }
  });
});
