import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, LogLevel, type types, type webApi } from '@slack/bolt';
import type { SlackConfig } from '../config';
import type { Conversation, ConversationContext, Reply } from '../conversation/conversation.types';
import { toSlackHome, toSlackMessage } from '../render';
import { SLACK_CONFIRM_ACTION, SLACK_DECLINE_ACTION } from '../render/slack.renderer';
import type { TenantDirectory } from '../tenants/tenant-directory';

type SlackBlocks = Array<types.KnownBlock | types.Block>;

export interface SlackAdapterOptions {
  readonly config: SlackConfig;
  readonly conversation: Conversation;
  readonly directory: TenantDirectory;
  readonly log?: (message: string) => void;
}

export interface SlackAdapter {
  /** Serves POST /slack/events (signature checked by Bolt before anything else runs). */
  readonly requestListener: RequestListener;
  readonly client: webApi.WebClient;
}

/** Slack's answer when a workspace is not mapped to a credit tenant. */
export function unknownWorkspaceReply(teamId: string | undefined): Reply {
  const text = `This Slack workspace (${teamId ?? 'unknown'}) is not connected to a credit tenant yet. An admin can add it to CHATBOT_TENANTS, e.g. slack:${teamId ?? 'T0123'}=your-tenant.`;
  return { title: 'Workspace not connected', text, tone: 'warning', sections: [] };
}

/** Removes the `<@U123>` mention of the bot from a message. */
export function stripSlackMentions(text: string): string {
  return text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Bolt app on the HTTP receiver: `/credits` slash command, app mentions, direct messages and the App Home tab.
 * Each handler resolves workspace → tenant and user → admin, asks the conversation core once and renders the reply.
 */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config, conversation, directory } = options;
  const receiver = new HTTPReceiver({
    signingSecret: config.signingSecret,
    endpoints: '/slack/events',
    // Acks go out right away (Slack wants them within 3 s); answers follow via respond/say.
    processBeforeResponse: false,
  });
  const app = new App({
    token: config.botToken,
    receiver,
    logLevel: LogLevel.WARN,
    clientOptions: {
      ...(config.apiUrl ? { slackApiUrl: withTrailingSlash(config.apiUrl) } : {}),
      // Replies wait out a 429's Retry-After (the client's default, kept on purpose) and retry transient
      // failures a few times with exponential backoff; a person is waiting, so not for long.
      rejectRateLimitedCalls: false,
      retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000, randomize: true },
    },
  });

  const context = (teamId: string | undefined, userId: string, channelId: string): ConversationContext | undefined => {
    const tenantId = directory.tenantFor('slack', teamId);
    if (!tenantId) return undefined;
    return { tenantId, userId, isAdmin: directory.isAdmin(userId), channel: { platform: 'slack', channelId } };
  };

  const answer = async (ctx: ConversationContext | undefined, teamId: string | undefined, text: string): Promise<Reply> =>
    ctx ? conversation.handle(text, ctx) : unknownWorkspaceReply(teamId);

  app.command('/credits', async ({ command, ack, respond }) => {
    await ack();
    const ctx = context(command.team_id, command.user_id, command.channel_id);
    const reply = await answer(ctx, command.team_id, command.text);
    await respond({ response_type: 'ephemeral', ...slackMessage(reply) });
  });

  app.event('app_mention', async ({ event, body, say }) => {
    const teamId = event.team ?? body.team_id;
    if (!event.user) return;
    const ctx = context(teamId, event.user, event.channel);
    const reply = await answer(ctx, teamId, stripSlackMentions(event.text));
    await say({ ...slackMessage(reply), ...(event.thread_ts ? { thread_ts: event.thread_ts } : {}) });
  });

  app.message(async ({ message, body, say }) => {
    // Only direct messages from people; channel messages reach us as app_mention.
    if (message.channel_type !== 'im' || message.subtype !== undefined || !('user' in message) || !message.user) return;
    const teamId = body.team_id;
    const ctx = context(teamId, message.user, message.channel);
    const reply = await answer(ctx, teamId, stripSlackMentions(message.text ?? ''));
    await say(slackMessage(reply));
  });

  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const teamId = body.team_id;
    const ctx = context(teamId, event.user, event.channel);
    const reply = ctx ? await conversation.homeSummary(ctx) : unknownWorkspaceReply(teamId);
    await client.views.publish({ user_id: event.user, view: toSlackHome(reply) as webApi.ViewsPublishArguments['view'] });
  });

  // The yes / no buttons of a preview (block_actions). The answer replaces the preview, so it cannot be clicked twice.
  for (const [actionId, approve] of [[SLACK_CONFIRM_ACTION, true], [SLACK_DECLINE_ACTION, false]] as const) {
    app.action({ type: 'block_actions', action_id: actionId }, async ({ ack, body, action, respond }) => {
      await ack();
      const teamId = body.team?.id ?? body.user.team_id;
      const channelId = body.channel?.id ?? '';
      const ctx = context(teamId, body.user.id, channelId);
      const value = 'value' in action && typeof action.value === 'string' ? action.value : '';
      const reply = ctx ? await conversation.decide(value, approve, ctx) : unknownWorkspaceReply(teamId);
      await respond({ replace_original: true, ...slackMessage(reply) });
    });
  }

  app.error(async (error) => {
    options.log?.(`[slack] ${error.message}`);
  });

  return { requestListener: receiver.requestListener, client: app.client };
}

function slackMessage(reply: Reply): { text: string; blocks: SlackBlocks } {
  const m = toSlackMessage(reply);
  return { text: m.text, blocks: m.blocks as SlackBlocks };
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
