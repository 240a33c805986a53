/**
 * Messages the bot sends on its own outside a reply: a capacity request card to the admins' alert channels, and
 * the decision back to the maker's conversation (Slack chat.postMessage, Teams proactive messages).
 */
import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { types, webApi } from '@slack/bolt';
import type { CoreClient } from '@allot/grpc-client';
import type { ConversationContext, Reply } from '../conversation/conversation.types';
import { toSlackMessage } from '../render';
import { teamsActivity } from '../teams/teams.adapter';

export interface ChatNotifier {
  /** Posts to every channel bound to the tenant's alerts; resolves with how many got it. */
  toAdmins(tenantId: string, reply: Reply): Promise<number>;
  /** Posts into the conversation a message came from (false when that platform is not connected). */
  toConversation(channel: ConversationContext['channel'], reply: Reply): Promise<boolean>;
}

export interface ChatNotifierOptions {
  readonly core: CoreClient;
  readonly slack?: webApi.WebClient;
  readonly teams?: { readonly adapter: CloudAdapter; readonly appId: string };
  readonly log?: (message: string) => void;
}

export function createChatNotifier(options: ChatNotifierOptions): ChatNotifier {
  const post = async (channel: ConversationContext['channel'], reply: Reply): Promise<boolean> => {
    if (channel.platform === 'slack' && options.slack) {
      const m = toSlackMessage(reply);
      await options.slack.chat.postMessage({ channel: channel.channelId, text: m.text, blocks: m.blocks as Array<types.KnownBlock | types.Block>, unfurl_links: false });
      return true;
    }
    if (channel.platform === 'teams' && options.teams && channel.reference) {
      const reference = JSON.parse(channel.reference) as Partial<ConversationReference>;
      await options.teams.adapter.continueConversationAsync(options.teams.appId, reference, async (turn) => {
        await turn.sendActivity(teamsActivity(reply));
      });
      return true;
    }
    return false;
  };
  return {
    toConversation: post,
    async toAdmins(tenantId, reply) {
      const { bindings } = await options.core.alerts.listChannelBindings({ tenantId });
      let sent = 0;
      for (const b of bindings) {
        const platform = b.platform === 'slack' || b.platform === 'teams' ? b.platform : undefined;
        if (platform === undefined) continue;
        try {
          if (await post({ platform, channelId: b.channelId, reference: b.reference }, reply)) sent += 1;
        } catch (e) {
          options.log?.(`[notify] ${platform}:${b.channelId}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      return sent;
    },
  };
}
