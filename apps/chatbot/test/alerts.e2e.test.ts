/**
 * Alert delivery end to end: "alerts here" binds a Slack channel and a Teams conversation, RecordConsumption
 * raises alerts in the real core, and the bot posts each exactly once, across restarts and rate limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertKind, EntitlementKind, Stage } from '@allot/contracts';
import { consumption, seedAcme, SIGNING_SECRET, SLACK_ADMIN, SLACK_TEAM, startBotEnv, TEAMS_ADMIN, TEAMS_TENANT, type BotEnv } from './support/bot-env';
import { confirmDataOf, teamsMessage, teamsSubmit } from './support/fake-bot-connector';
import { waitFor } from './support/http-server';
import { confirmActionIdOf, postBlockAction, postSlashCommand } from './support/slack-requests';

const SLACK_CHANNEL = 'C0ALERTS';
const TEAMS_CONVERSATION = '19:alerts-channel@thread.tacv2';

const cursorOf = (m: { metadata?: { event_payload: Record<string, unknown> } }): number => Number(m.metadata?.event_payload['cursor']);

describe('alerts reach bound channels exactly once', () => {
  let env: BotEnv;
  /** Replies to incoming messages answer their activity id; proactive alert posts do not. */
  const incoming = new Set<string>();
  const teamsAlerts = (): number => env.connector.postsTo(TEAMS_CONVERSATION).filter((p) => !incoming.has(p.replyToId ?? '')).length;

  beforeAll(async () => {
    env = await startBotEnv();
    await seedAcme(env);
  }, 180_000);
  afterAll(async () => {
    await env?.stop();
  });

  it('"alerts here" in Slack and Teams, then an overage from RecordConsumption is posted once to each', async () => {
    const res = await postSlashCommand(env.bot.url, SIGNING_SECRET, { team_id: SLACK_TEAM, user_id: SLACK_ADMIN, channel_id: SLACK_CHANNEL, text: 'alerts here', response_url: env.slack.responseUrl('bind-slack') });
    expect(res.status).toBe(200);
    const preview = await waitFor(() => env.slack.responses.find((r) => r.id === 'bind-slack'), 'bind preview');
    expect(String(preview.body['text'])).toMatch(/Confirm: alerts here/);
    // Binding is an action: it happens when the admin clicks "Yes" (a block_actions payload through Bolt).
    const click = await postBlockAction(env.bot.url, SIGNING_SECRET, { team_id: SLACK_TEAM, user_id: SLACK_ADMIN, channel_id: SLACK_CHANNEL, action_id: 'allot_confirm', value: confirmActionIdOf(preview.body['blocks']), response_url: env.slack.responseUrl('bind-slack-yes') });
    expect(click.status).toBe(200);
    const bound = await waitFor(() => env.slack.responses.find((r) => r.id === 'bind-slack-yes'), 'bind answer');
    expect(String(bound.body['text'])).toMatch(/alerts will come here/i);

    const activity = teamsMessage({ serviceUrl: env.connector.serviceUrl, text: '<at>Allot</at> alerts here', conversationId: TEAMS_CONVERSATION, tenantId: TEAMS_TENANT, userAadId: TEAMS_ADMIN });
    incoming.add(String(activity['id']));
    const teamsRes = await fetch(`${env.bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(teamsRes.status).toBe(200);
    const teamsPreview = await waitFor(() => env.connector.postsTo(TEAMS_CONVERSATION).find((p) => p.replyToId === activity['id']), 'Teams bind preview');
    // "Yes" on the card: an Action.Submit arrives as a message activity whose value is the action's data.
    const submit = teamsSubmit({ serviceUrl: env.connector.serviceUrl, conversationId: TEAMS_CONVERSATION, tenantId: TEAMS_TENANT, userAadId: TEAMS_ADMIN, data: confirmDataOf(teamsPreview) });
    incoming.add(String(submit['id']));
    const submitRes = await fetch(`${env.bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submit) });
    expect(submitRes.status).toBe(200);
    const teamsBound = await waitFor(() => env.connector.postsTo(TEAMS_CONVERSATION).find((p) => p.replyToId === submit['id']), 'Teams bind answer');
    expect(teamsBound.activity.summary).toMatch(/alerts \(warnings/);
    const { bindings } = await env.admin.alerts.listChannelBindings({ tenantId: env.tenantId });
    expect(bindings.map((b) => `${b.platform}:${b.channelId}`).sort()).toEqual([`slack:${SLACK_CHANNEL}`, `teams:${TEAMS_CONVERSATION}`]);
    expect(JSON.parse(bindings.find((b) => b.platform === 'teams')?.reference ?? '{}')).toMatchObject({ serviceUrl: env.connector.serviceUrl });

    // 650,000 of Sales Prod's 600,000 (no pool fallback): overage.
    await env.consume('sales-prod', 650_000);
    // The core raises alerts right after the write; wait until the outbox has it.
    const overage = await waitFor(async () => {
      const { alerts } = await env.admin.alerts.listAlerts({ tenantId: env.tenantId, afterCursor: 0, limit: 100 });
      return alerts.find((a) => a.kind === AlertKind.ALERT_KIND_STAGE_CHANGED && a.stage === Stage.STAGE_OVERAGE && a.environmentId === 'sales-prod');
    }, 'the overage alert in the outbox');
    const { alerts } = await env.admin.alerts.listAlerts({ tenantId: env.tenantId, afterCursor: 0, limit: 100 });

    await waitFor(() => env.slack.posted(SLACK_CHANNEL).some((m) => cursorOf(m) === overage.cursor), 'overage in Slack');
    await waitFor(() => teamsAlerts() >= 1, 'overage in Teams');
    await new Promise((r) => setTimeout(r, 1_500)); // a repeat would arrive within a refresh
    const slackPosts = env.slack.posted(SLACK_CHANNEL).filter((m) => cursorOf(m) === overage.cursor);
    expect(slackPosts).toHaveLength(1);
    expect(slackPosts[0]?.text).toMatch(/Sales Prod/);
    const teamsPosts = env.connector.postsTo(TEAMS_CONVERSATION).filter((p) => !incoming.has(p.replyToId ?? ''));
    expect(teamsPosts).toHaveLength(alerts.length);
    expect(teamsPosts[0]?.activity.attachments?.[0]?.content.version).toBe('1.5');
    expect((await env.admin.alerts.getAlertCursor({ subscriber: `chatbot:slack:${SLACK_CHANNEL}` })).cursor).toBeGreaterThanOrEqual(overage.cursor);
  });

  it('a restart in the middle of a burst of 50 alerts neither loses nor repeats any', async () => {
    const tenantId = env.tenantId;
    const ids = Array.from({ length: 50 }, (_, i) => `burst-${String(i).padStart(2, '0')}`);
    await env.admin.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
    for (const id of ids) {
      await env.admin.admin.createEnvironment({ tenantId, environmentId: id, displayName: `Burst ${id}`, tenantPoolFallback: false });
      await env.admin.admin.setAllocation({ tenantId, environmentId: id, credits: 1_000 });
    }
    const { alerts: before } = await env.admin.alerts.listAlerts({ tenantId, afterCursor: 0, limit: 1000 });
    const startCursor = Math.max(0, ...before.map((a) => a.cursor));
    // Slow Slack down so the restart lands mid-burst, with one post in flight (recorded by Slack, never answered).
    env.slack.delayNext('chat.postMessage', 1_000, 40);
    await env.admin.consumption.recordConsumptionBatch({ events: ids.map((id, i) => consumption(tenantId, id, 1_100, 'ada@acme.test', `burst-${i}`)) });
    const raised = await waitFor(async () => {
      const { alerts } = await env.admin.alerts.listAlerts({ tenantId, afterCursor: startCursor, limit: 1000 });
      return alerts.length >= 50 && alerts;
    }, '50 alerts in the outbox');
    const expected = raised.map((a) => a.cursor);

    const burstPosts = (): number[] => env.slack.posted(SLACK_CHANNEL).map(cursorOf).filter((c) => c > startCursor);
    await waitFor(() => burstPosts().length >= 15, '15 burst posts');
    const postedBeforeRestart = burstPosts().length;
    await env.restartBot();
    await waitFor(() => new Set(burstPosts()).size === expected.length, `all ${expected.length} burst alerts`, 60_000);
    await new Promise((r) => setTimeout(r, 1_500));
    const posted = burstPosts();
    console.log(`burst: ${expected.length} alerts, ${postedBeforeRestart} posted before the restart, ${posted.length} posts in total, skipped after history check: ${env.bot.alertStats.skippedAlreadyPosted}`);
    expect(posted).toEqual(expected); // each once, in cursor order
    await waitFor(() => teamsAlerts() >= raised.length + 1, 'burst in Teams', 60_000);
    await new Promise((r) => setTimeout(r, 1_000));
    console.log(`burst in Teams: ${teamsAlerts() - 1} posts for ${raised.length} alerts`);
    expect(teamsAlerts()).toBe(raised.length + 1); // the overage of the first test, then each burst alert once
  }, 120_000);

  it('honours a 429 Retry-After from Slack before posting the alert', async () => {
    const tenantId = env.tenantId;
    env.slack.rateLimitNext('chat.postMessage', 1, 2);
    await env.admin.consumption.recordConsumption(consumption(tenantId, 'dev', 90_000, 'bob@acme.test', 'dev-warning'));
    const post = await waitFor(
      () => env.slack.callsOf('chat.postMessage').find((c, i, all) => c.status === 200 && all.slice(0, i).some((p) => p.status === 429 && p.args['channel'] === SLACK_CHANNEL)),
      'post after the 429',
      30_000,
    );
    const limited = env.slack.callsOf('chat.postMessage').find((c) => c.status === 429);
    const waited = post.at - (limited?.at ?? Infinity);
    console.log(`429 with Retry-After: 2 s; the bot posted again after ${waited} ms`);
    expect(waited).toBeGreaterThanOrEqual(2_000);
  }, 60_000);
});
