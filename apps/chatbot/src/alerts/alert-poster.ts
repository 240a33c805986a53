import type { Alert, ChannelBinding } from '@allot/contracts';
import type { Reply } from '../conversation/conversation.types';

/** What to do after a failed post. */
export type PostFailure =
  /** Try again; `afterMs` when the platform said how long to wait (Slack 429 Retry-After). */
  | { readonly kind: 'retry'; readonly afterMs?: number }
  /** The channel can never take this message (deleted, archived, bot removed): skip it, keep the rest flowing. */
  | { readonly kind: 'drop'; readonly reason: string };

/** Posts alerts to one chat platform. One implementation per platform, beside its adapter. */
export interface AlertPoster {
  readonly platform: 'slack' | 'teams';
  post(binding: ChannelBinding, alert: Alert, reply: Reply): Promise<void>;
  /**
   * Whether this alert is already in the channel. Asked before the first post after a start and after any
   * failure whose outcome is unknown, so a post that succeeded right before a crash (but was never acked) is
   * not repeated. Platforms without a readable history answer false.
   */
  wasPosted(binding: ChannelBinding, alert: Alert): Promise<boolean>;
  classify(error: unknown): PostFailure;
}

/** The subscriber name under which the core keeps a channel's delivery cursor. */
export function channelSubscriber(platform: string, channelId: string): string {
  return `chatbot:${platform}:${channelId}`;
}
