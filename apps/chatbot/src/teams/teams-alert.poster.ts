import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { Alert, ChannelBinding } from '@allot/contracts';
import type { AlertPoster, PostFailure } from '../alerts/alert-poster';
import type { Reply } from '../conversation/conversation.types';
import { teamsActivity } from './teams.adapter';

/**
 * Posts alerts proactively with the conversation reference stored in the binding. The Bot Connector has no
 * history a bot can read back in Teams, so `wasPosted` is always false: a crash between a successful post and
 * its ack can repeat that one alert (the ack follows the post immediately to keep that window small).
 */
export class TeamsAlertPoster implements AlertPoster {
  readonly platform = 'teams' as const;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async post(binding: ChannelBinding, _alert: Alert, reply: Reply): Promise<void> {
    const reference = JSON.parse(binding.reference) as Partial<ConversationReference>;
    await this.adapter.continueConversationAsync(this.appId, reference, async (turn) => {
      await turn.sendActivity(teamsActivity(reply));
    });
  }

  wasPosted(): Promise<boolean> {
    return Promise.resolve(false);
  }

  classify(error: unknown): PostFailure {
    if (error instanceof SyntaxError) return { kind: 'drop', reason: 'binding has no usable conversation reference' };
    const e = error as { statusCode?: number; response?: { headers?: { get?(name: string): string | undefined } } };
    if (e.statusCode === 429) {
      const retryAfter = Number(e.response?.headers?.get?.('retry-after'));
      return Number.isFinite(retryAfter) && retryAfter > 0 ? { kind: 'retry', afterMs: retryAfter * 1000 } : { kind: 'retry' };
    }
    // 403/404: the bot was removed from the conversation, or it was deleted.
    if (e.statusCode === 403 || e.statusCode === 404) return { kind: 'drop', reason: `connector answered ${e.statusCode}` };
    return { kind: 'retry' };
  }
}
