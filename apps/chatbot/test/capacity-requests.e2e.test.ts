/**
 * Capacity requests end to end: a maker asks in Slack, the card reaches the admins' Teams conversation (bound to
 * the tenant's alerts), an admin approves it there (Action.Submit) and the maker is answered in Slack; a denial
 * carries its reason; a non-admin cannot decide. Effects are checked through the gRPC API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAcme, SIGNING_SECRET, SLACK_MEMBER, SLACK_TEAM, startBotEnv, TEAMS_ADMIN, TEAMS_TENANT, type BotEnv } from './support/bot-env';
import { confirmDataOf, teamsMessage, teamsSubmit, type ConnectorPost } from './support/fake-bot-connector';
import { waitFor } from './support/http-server';
import { postSlashCommand } from './support/slack-requests';

const MAKER_CHANNEL = 'C0MAKERS';
const ADMINS = '19:admins@thread.tacv2';

describe('capacity requests: maker in Slack, admins in Teams', () => {
  let env: BotEnv;
  let seq = 0;

  beforeAll(async () => {
    env = await startBotEnv();
    // Capacity 1,000,000; Sales Prod 600,000, Dev 100,000: 300,000 unassigned.
    await seedAcme(env);
    await env.consume('sales-prod', 580_000, 'ada@acme.test');
    // The admins' Teams conversation gets the tenant's alerts (and so the request cards).
    const ask = teamsMessage({ serviceUrl: env.connector.serviceUrl, text: 'alerts here', conversationId: ADMINS, tenantId: TEAMS_TENANT, userAadId: TEAMS_ADMIN });
    const preview = await teams(ask);
    await teams(teamsSubmit({ serviceUrl: env.connector.serviceUrl, conversationId: ADMINS, tenantId: TEAMS_TENANT, userAadId: TEAMS_ADMIN, data: confirmDataOf(preview) }));
    expect((await env.admin.alerts.listChannelBindings({ tenantId: env.tenantId })).bindings).toHaveLength(1);
  }, 180_000);
  afterAll(async () => {
    await env?.stop();
  });

  /** Ids of the activities sent to the bot: posts replying to them are answers, the others are proactive. */
  const incoming = new Set<string>();
  async function teams(activity: Record<string, unknown>): Promise<ConnectorPost> {
    incoming.add(String(activity['id']));
    const res = await fetch(`${env.bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(res.status).toBe(200);
    return waitFor(() => env.connector.postsTo(String((activity['conversation'] as { id: string }).id)).find((p) => p.replyToId === activity['id']), 'Teams answer');
  }
  async function makerAsks(text: string): Promise<string> {
    seq += 1;
    const id = `req-${seq}`;
    await postSlashCommand(env.bot.url, SIGNING_SECRET, { team_id: SLACK_TEAM, user_id: SLACK_MEMBER, channel_id: MAKER_CHANNEL, text, response_url: env.slack.responseUrl(id) });
    return String((await waitFor(() => env.slack.responses.find((r) => r.id === id), `answer to "${text}"`)).body['text']);
  }
  /** The request cards posted proactively to the admins (not in reply to anything sent). */
  const newestCard = (count: number): Promise<ConnectorPost> =>
    waitFor(() => {
      const cards = env.connector.postsTo(ADMINS).filter((p) => !incoming.has(p.replyToId ?? '') && String(p.activity.summary).startsWith('slack:'));
      return cards.length >= count ? cards[count - 1] : undefined;
    }, `request card ${count}`);
  const allocation = async (id: string): Promise<number> => (await env.admin.admin.listEnvironments({ tenantId: env.tenantId })).environments.find((e) => e.environmentId === id)?.allocation ?? -1;
  const makerGot = (pattern: RegExp) => waitFor(() => env.slack.posted(MAKER_CHANNEL).find((m) => pattern.test(String(m.text))), `maker told ${pattern}`);

  it('approved in Teams: the allocation is raised, audited as the admin, and the maker is answered in Slack', async () => {
    expect(await makerAsks('I need 50k more for sales prod this month')).toContain('I sent your request for 50,000 more credits for Sales Prod (sales-prod) to the admins (1 channel)');
    const card = await newestCard(1);
    expect(card.activity.summary).toContain(`slack:${SLACK_MEMBER} asks for 50,000 more credits for Sales Prod (sales-prod) this month`);
    expect(card.activity.summary).toContain('Sales Prod (sales-prod): 600,000 → 650,000 credits');
    expect(await allocation('sales-prod')).toBe(600_000);

    const approved = await teams(teamsSubmit({ serviceUrl: env.connector.serviceUrl, conversationId: ADMINS, tenantId: TEAMS_TENANT, userAadId: TEAMS_ADMIN, data: confirmDataOf(card) }));
    expect(approved.activity.summary).toContain(`slack:${SLACK_MEMBER} was told`);
    expect(await allocation('sales-prod')).toBe(650_000);
    const told = await makerGot(/approved your request/);
    expect(String(told.text)).toContain(`teams:${TEAMS_ADMIN} approved your request for 50,000 more credits`);
    const [entry] = (await env.admin.admin.listAuditEntries({ tenantId: env.tenantId, limit: 1 })).entries;
    expect(entry).toMatchObject({ action: 'SetAllocation', actor: `teams:${TEAMS_ADMIN}`, channel: `teams:${ADMINS}`, detail: 'sales-prod allocation = 650000 credits' });
  });

  it('denied with a typed reason: nothing changes and the maker gets the reason', async () => {
    await makerAsks('can I get 10k more credits for dev');
    const card = await newestCard(2);
    expect(card.activity.summary).toContain('Dev (dev): 100,000 → 110,000 credits');
    const denied = await teams(teamsMessage({ serviceUrl: env.connector.serviceUrl, text: 'deny: dev is over-provisioned already', conversationId: ADMINS, tenantId: TEAMS_TENANT, userAadId: TEAMS_ADMIN }));
    expect(denied.activity.summary).toContain('Denied');
    const told = await makerGot(/denied your request/);
    expect(String(told.text)).toContain('dev is over-provisioned already');
    expect(await allocation('dev')).toBe(100_000);
  });

  it('a non-admin cannot decide a request, and a request above the unassigned credits says why on the card', async () => {
    await makerAsks('requesting 400,000 additional credits for dev');
    const card = await newestCard(3);
    expect(card.activity.summary).toContain('only 250,000 unassigned');
    const stranger = await teams(teamsSubmit({ serviceUrl: env.connector.serviceUrl, conversationId: ADMINS, tenantId: TEAMS_TENANT, userAadId: 'aad-someone-else', data: confirmDataOf(card) }));
    expect(stranger.activity.summary).toContain('only admins');
    const approved = await teams(teamsSubmit({ serviceUrl: env.connector.serviceUrl, conversationId: ADMINS, tenantId: TEAMS_TENANT, userAadId: TEAMS_ADMIN, data: confirmDataOf(card) }));
    expect(approved.activity.summary).toContain('only 250,000 unassigned');
    await makerGot(/could not be applied/);
    expect(await allocation('dev')).toBe(100_000);
  });
});
