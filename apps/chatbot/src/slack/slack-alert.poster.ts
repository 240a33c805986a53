import { webApi, type types } from '@slack/bolt';
import type { Alert, ChannelBinding } from '@allot/contracts';
import type { AlertPoster, PostFailure } from '../alerts/alert-poster';
import type { Reply } from '../conversation/conversation.types';
import { toSlackMessage } from '../render';

type SlackBlocks = Array<types.KnownBlock | types.Block>;

/** Slack message metadata event type that marks our alert posts (read back from conversations.history). */
export const ALERT_EVENT_TYPE = 'allot_alert';

/** Platform errors after which this channel can never take the message: skipping beats blocking every later alert. */
const PERMANENT_CHANNEL_ERRORS = new Set([
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'invalid_blocks',
  'msg_too_long',
  'no_text',
  'restricted_action',
]);

/**
 * The Web API client for alert posts. Rate limits are *rejected* (`rejectRateLimitedCalls: true`) and the
 * client itself does not retry (`retries: 0`): the delivery loop owns waiting, so it waits exactly Retry-After,
 * can be stopped while waiting, and checks the channel's history before repeating a post whose outcome is unknown.
 * (Interactive replies use Bolt's client, which waits out Retry-After by itself.)
 */
export function createAlertWebClient(token: string, apiUrl: string | undefined): webApi.WebClient {
  return new webApi.WebClient(token, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 15_000,
  });
}

export class SlackAlertPoster implements AlertPoster {
  readonly platform = 'slack' as const;

  constructor(private readonly client: webApi.WebClient) {}

  async post(binding: ChannelBinding, alert: Alert, reply: Reply): Promise<void> {
    const message = toSlackMessage(reply);
    await this.client.chat.postMessage({
      channel: binding.channelId,
      text: message.text,
      blocks: message.blocks as SlackBlocks,
      unfurl_links: false,
      // The cursor travels with the message so a restarted bot can see what it already posted.
      metadata: { event_type: ALERT_EVENT_TYPE, event_payload: { cursor: alert.cursor, alert_id: alert.alertId } },
    });
  }

  async wasPosted(binding: ChannelBinding, alert: Alert): Promise<boolean> {
    // Only the one alert posted right before a crash can be unacked, so the newest messages are enough.
    const history = await this.client.conversations.history({ channel: binding.channelId, limit: 50, include_all_metadata: true });
    return (history.messages ?? []).some((m) => {
      const meta = m.metadata;
      const payload = meta?.event_payload as Record<string, unknown> | undefined;
      return meta?.event_type === ALERT_EVENT_TYPE && (payload?.['cursor'] === alert.cursor || payload?.['alert_id'] === alert.alertId);
    });
  }

  classify(error: unknown): PostFailure {
    const coded = error as { code?: string; retryAfter?: number; data?: { error?: string } };
    if (coded.code === webApi.ErrorCode.RateLimitedError && typeof coded.retryAfter === 'number') {
      return { kind: 'retry', afterMs: coded.retryAfter * 1000 };
    }
    if (coded.code === webApi.ErrorCode.PlatformError && coded.data?.error && PERMANENT_CHANNEL_ERRORS.has(coded.data.error)) {
      return { kind: 'drop', reason: coded.data.error };
    }
    return { kind: 'retry' };
  }
}
