/**
 * The contract between the conversation core (intents, answers, alert rendering) and the thin channel adapters
 * (Slack, Teams, console). Adapters turn platform input into `handle(text, context)` and render the `Reply`.
 */
import type { Alert } from '@allot/contracts';

export type Platform = 'slack' | 'teams' | 'console';

/** Where a message came from and who sent it, resolved by the adapter. */
export interface ConversationContext {
  /** The credit tenant this workspace / Teams tenant maps to (CHATBOT_TENANTS). */
  readonly tenantId: string;
  /** Platform user id (Slack U..., Teams AAD object id, console user name). */
  readonly userId: string;
  /** Whether this user may change bindings (CHATBOT_ADMINS or the core). */
  readonly isAdmin: boolean;
  readonly channel: {
    readonly platform: Platform;
    /** Slack channel id, Teams conversation id, 'console'. */
    readonly channelId: string;
    /** Opaque data needed to post to this channel later (Teams conversation reference JSON). */
    readonly reference?: string;
  };
}

/** Tone decides colour/emoji per platform. */
export type Tone = 'info' | 'good' | 'warning' | 'overage' | 'blocked';

/** One labelled figure, e.g. { label: 'Remaining', value: '395,000 credits' }. */
export interface Fact {
  readonly label: string;
  readonly value: string;
}

/** A block of an answer: heading, text, facts, and an optional progress bar (0..1+). */
export interface ReplySection {
  readonly heading?: string;
  readonly text?: string;
  readonly facts?: readonly Fact[];
  /** Used / available; rendered as a bar like ▓▓▓▓▓▓░░░░ 60%. */
  readonly progress?: { readonly used: number; readonly available: number };
  /**
   * DUAL: Copilot Credits used / available (thousandths), drawn as a second bar beside `progress`; both are then
   * labelled with their currency ("AI Builder credits", "Copilot Credits").
   */
  readonly copilotProgress?: { readonly used: number; readonly available: number };
}

/** A platform-neutral answer. `text` is a complete plain-text fallback (Slack notifications, console, logs). */
export interface Reply {
  readonly title: string;
  readonly text: string;
  readonly tone: Tone;
  readonly sections: readonly ReplySection[];
  /** Short suggestions ("did you mean sales-prod?"). */
  readonly suggestions?: readonly string[];
  /**
   * Set on the preview of an action: the channel asks yes or no (Slack buttons, Teams Action.Submit, console
   * "yes"/"no") and hands the answer to `Conversation.decide`.
   */
  readonly confirm?: { readonly actionId: string; readonly yes: string; readonly no: string };
}

/** The conversation core: one per process, shared by every adapter. */
export interface Conversation {
  handle(text: string, context: ConversationContext): Promise<Reply>;
  /**
   * The yes (approve) or no to a previewed action, from a button or a typed answer. Only the person it was shown
   * to may decide it; anyone else's click is refused and changes nothing.
   */
  decide(actionId: string, approve: boolean, context: ConversationContext): Promise<Reply>;
  /** The tenant summary for Slack's App Home tab. */
  homeSummary(context: ConversationContext): Promise<Reply>;
  /** An alert from the core as a message for a bound channel. */
  renderAlert(alert: Alert): Reply;
}
