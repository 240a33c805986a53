/**
 * Actions waiting for a yes or no: one per conversation (tenant, channel, person), forgotten after ten minutes
 * or once decided. In memory: a restart of the bot drops them, and the person is told to ask again.
 */
import { randomBytes } from 'node:crypto';
import type { ConversationContext, Reply } from './conversation.types';

export interface PendingAction {
  readonly id: string;
  readonly tenantId: string;
  /** Who was shown the preview (only they may decide). */
  readonly userId: string;
  readonly conversationKey: string;
  /** "move 50,000 credits from dev to sales-prod". */
  readonly summary: string;
  readonly expiresAt: number;
  /** Makes the change; called at most once. */
  readonly run: () => Promise<Reply>;
}

const TTL_MS = 10 * 60_000;

export const conversationKey = (c: ConversationContext): string => `${c.tenantId}|${c.channel.platform}|${c.channel.channelId}|${c.userId}`;

export class PendingActions {
  private readonly byId = new Map<string, PendingAction>();
  private readonly byConversation = new Map<string, string>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Replaces whatever this conversation was still asked about. */
  add(context: ConversationContext, summary: string, run: () => Promise<Reply>): PendingAction {
    this.sweep();
    const key = conversationKey(context);
    const old = this.byConversation.get(key);
    if (old !== undefined) this.byId.delete(old);
    const action: PendingAction = { id: `act-${randomBytes(6).toString('hex')}`, tenantId: context.tenantId, userId: context.userId, conversationKey: key, summary, expiresAt: this.now() + TTL_MS, run };
    this.byId.set(action.id, action);
    this.byConversation.set(key, action.id);
    return action;
  }

  get(id: string): PendingAction | undefined {
    this.sweep();
    return this.byId.get(id);
  }

  /** The action this conversation was last asked about, if still open. */
  forConversation(context: ConversationContext): PendingAction | undefined {
    const id = this.byConversation.get(conversationKey(context));
    return id === undefined ? undefined : this.get(id);
  }

  /** Removes it so that a second click cannot run it again. */
  take(id: string): PendingAction | undefined {
    const a = this.get(id);
    if (a === undefined) return undefined;
    this.byId.delete(id);
    if (this.byConversation.get(a.conversationKey) === id) this.byConversation.delete(a.conversationKey);
    return a;
  }

  private sweep(): void {
    const t = this.now();
    for (const [id, a] of this.byId) {
      if (a.expiresAt <= t) {
        this.byId.delete(id);
        if (this.byConversation.get(a.conversationKey) === id) this.byConversation.delete(a.conversationKey);
      }
    }
  }
}
