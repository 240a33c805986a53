/**
 * Slack end to end: signed requests through Bolt's HTTP receiver, the real conversation core, a real credit
 * core on FerretDB, and answers recorded by the local fake Slack Web API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCredits } from '../src/conversation';
import { seedAcme, SIGNING_SECRET, SLACK_ADMIN, SLACK_MEMBER, SLACK_TEAM, SLACK_TRIAL_TEAM, startBotEnv, type BotEnv } from './support/bot-env';
import { waitFor } from './support/http-server';
import { postSlackEvent, postSlashCommand, slackSignature } from './support/slack-requests';

describe('Slack: questions over signed requests', () => {
  let env: BotEnv;
  let seq = 0;

  beforeAll(async () => {
    env = await startBotEnv();
    await seedAcme(env);
    await env.consume('sales-prod', 450_000, 'ada@acme.test');
    await env.consume('dev', 30_000, 'bob@acme.test');
  }, 180_000);
  afterAll(async () => {
    await env?.stop();
  });

  /** Sends `/credits <text>` and returns the answer posted to its response_url. */
  async function slash(text: string, user = SLACK_ADMIN, team = SLACK_TEAM): Promise<{ text: string; blocks: unknown }> {
    seq += 1;
    const id = `cmd-${seq}`;
    const res = await postSlashCommand(env.bot.url, SIGNING_SECRET, { team_id: team, user_id: user, channel_id: 'C0GENERAL', text, response_url: env.slack.responseUrl(id) });
    expect(res.status).toBe(200);
    const answer = await waitFor(() => env.slack.responses.find((r) => r.id === id), `answer to "${text}"`);
    expect(typeof answer.body['text']).toBe('string');
    expect(Array.isArray(answer.body['blocks'])).toBe(true);
    return { text: String(answer.body['text']), blocks: answer.body['blocks'] };
  }

  it('/credits balance of an environment: 150,000 of 600,000 left in Sales Prod', async () => {
    const answer = await slash('how many credits left in sales prod?');
    expect(answer.text).toContain('150,000');
    expect(JSON.stringify(answer.blocks)).toContain('150,000');
    expect(answer.text).toMatch(/Sales Prod/);
  });

  it('/credits balance of the tenant shows the core\'s remaining and consumed credits', async () => {
    const balance = await env.admin.reporting.getBalance({ tenantId: env.tenantId, environmentId: '', userId: '', period: '' });
    expect(balance.consumed).toBe(480_000);
    const answer = await slash('balance');
    expect(answer.text).toContain(formatCredits(balance.remaining));
    expect(answer.text).toContain('480,000');
  });

  it('/credits top consumers names ada with 450,000', async () => {
    const answer = await slash('who used the most credits?');
    expect(answer.text).toContain('ada@acme.test');
    expect(answer.text).toContain('450,000');
  });

  it('/credits stage of every environment lists Sales Prod and Dev', async () => {
    const answer = await slash('status');
    expect(answer.text).toContain('Sales Prod');
    expect(answer.text).toContain('Dev');
  });

  it('/credits forecast answers for Sales Prod', async () => {
    const answer = await slash('when will sales prod run out?');
    expect(answer.text).toContain('Sales Prod');
    expect(answer.text).not.toMatch(/didn't understand|did not understand/i);
  });

  it('/credits my trial shows the trial credits of the asking user', async () => {
    // Trials are for tenants without paid capacity: the trial workspace maps to a tenant with none.
    await env.admin.admin.createTenant({ tenantId: env.trialTenantId, displayName: 'Acme Trial', timeZone: 'UTC' });
    const trial = await env.admin.admin.startTrial({ tenantId: env.trialTenantId, userId: SLACK_MEMBER });
    const answer = await slash('my trial', SLACK_MEMBER, SLACK_TRIAL_TEAM);
    expect(answer.text).toContain(formatCredits(trial.trial?.credits ?? -1));
  });

  it('/credits help lists what can be asked', async () => {
    const answer = await slash('help');
    expect(answer.text).toMatch(/balance/i);
    expect(answer.text).toMatch(/alerts here/i);
  });

  it('an app mention in a channel is answered in that channel (Dev: 70,000 left)', async () => {
    const res = await postSlackEvent(env.bot.url, SIGNING_SECRET, SLACK_TEAM, { type: 'app_mention', user: SLACK_MEMBER, text: '<@UBOT> balance dev', channel: 'C0MENTION', ts: '1700000000.000100', team: SLACK_TEAM, event_ts: '1700000000.000100' });
    expect(res.status).toBe(200);
    const post = await waitFor(() => env.slack.posted('C0MENTION')[0], 'reply to the mention');
    expect(post.text).toContain('70,000');
    expect(Array.isArray(post.blocks)).toBe(true);
  });

  it('a direct message is answered in the DM', async () => {
    const res = await postSlackEvent(env.bot.url, SIGNING_SECRET, SLACK_TEAM, { type: 'message', channel_type: 'im', user: SLACK_MEMBER, text: 'how many credits left in sales prod?', channel: 'D0DIRECT', ts: '1700000000.000200', event_ts: '1700000000.000200' });
    expect(res.status).toBe(200);
    const post = await waitFor(() => env.slack.posted('D0DIRECT')[0], 'reply to the DM');
    expect(post.text).toContain('150,000');
  });

  it('opening the App Home publishes the tenant summary', async () => {
    const balance = await env.admin.reporting.getBalance({ tenantId: env.tenantId, environmentId: '', userId: '', period: '' });
    const res = await postSlackEvent(env.bot.url, SIGNING_SECRET, SLACK_TEAM, { type: 'app_home_opened', user: SLACK_MEMBER, channel: 'D0DIRECT', tab: 'home', event_ts: '1700000000.000300' });
    expect(res.status).toBe(200);
    const call = await waitFor(() => env.slack.callsOf('views.publish').find((c) => c.args['user_id'] === SLACK_MEMBER), 'views.publish');
    const view = call.args['view'] as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    expect(JSON.stringify(view.blocks)).toContain(formatCredits(balance.remaining));
  });

  it('an unknown workspace gets a clear answer and the core is not asked', async () => {
    const before = env.conversationCalls.count;
    const answer = await slash('balance', SLACK_ADMIN, 'T9UNKNOWN');
    expect(answer.text).toMatch(/not connected/);
    expect(answer.text).toContain('T9UNKNOWN');
    expect(env.conversationCalls.count).toBe(before);
  });

  it('a non-admin can ask but cannot bind alerts', async () => {
    const answer = await slash('alerts here', SLACK_MEMBER);
    expect(answer.text).toMatch(/only admins/i);
    const { bindings } = await env.admin.alerts.listChannelBindings({ tenantId: env.tenantId });
    expect(bindings).toEqual([]);
  });

  it('a forged signature is refused with 401 and nothing reaches the conversation core', async () => {
    const before = env.conversationCalls.count;
    const responsesBefore = env.slack.responses.length;
    const body = new URLSearchParams({ command: '/credits', text: 'balance', team_id: SLACK_TEAM, user_id: SLACK_ADMIN, channel_id: 'C0GENERAL', response_url: env.slack.responseUrl('forged') });
    const ts = Math.floor(Date.now() / 1000);
    const forged = await fetch(`${env.bot.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSignature('not-the-secret', ts, body.toString()) },
      body: body.toString(),
    });
    expect(forged.status).toBe(401);
    const unsigned = await fetch(`${env.bot.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    expect(unsigned.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(env.conversationCalls.count).toBe(before);
    expect(env.slack.responses.length).toBe(responsesBefore);
  });

  it('a correctly signed request older than 5 minutes is refused with 401', async () => {
    const before = env.conversationCalls.count;
    const stale = await postSlashCommand(
      env.bot.url,
      SIGNING_SECRET,
      { team_id: SLACK_TEAM, user_id: SLACK_ADMIN, channel_id: 'C0GENERAL', text: 'balance', response_url: env.slack.responseUrl('stale') },
      { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
    );
    expect(stale.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(env.conversationCalls.count).toBe(before);
    expect(env.slack.responses.find((r) => r.id === 'stale')).toBeUndefined();
  });

  it('serves /healthz', async () => {
    const res = await fetch(`${env.bot.url}/healthz`);
    expect(await res.json()).toEqual({ status: 'ok', slack: true, teams: true });
  });
});
