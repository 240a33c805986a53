import {
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  TurnContext,
  type Activity,
  type ConversationReference,
  type Request,
  type Response,
} from 'botbuilder';
import type { TeamsConfig } from '../config';
import type { Conversation, ConversationContext, Reply } from '../conversation/conversation.types';
import { toAdaptiveCard } from '../render';
import type { ConfirmSubmit } from '../render/adaptive-card.renderer';
import type { TenantDirectory } from '../tenants/tenant-directory';

export interface TeamsAdapterOptions {
  readonly config: TeamsConfig;
  readonly conversation: Conversation;
  readonly directory: TenantDirectory;
  readonly log?: (message: string) => void;
}

export interface TeamsAdapter {
  /** Serves POST /api/messages (the body must already be parsed JSON). */
  process(req: Request, res: Response): Promise<void>;
  readonly adapter: CloudAdapter;
  readonly appId: string;
}

/** A reply as a Teams message: the Adaptive Card (1.5) plus the plain text as summary for notifications. */
export function teamsActivity(reply: Reply): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(toAdaptiveCard(reply)));
  activity.summary = reply.text;
  return activity;
}

/** Removes `<at>Bot</at>` mentions (the bot's and anyone else's) from a channel message. */
export function stripTeamsMentions(text: string): string {
  return text.replace(/<at>[^<]*<\/at>/gi, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The yes / no of a preview card: an Action.Submit arrives as a message whose `value` is the action's data; an
 * Action.Execute (Universal Actions) as an `adaptiveCard/action` invoke with the data under `value.action.data`.
 */
export function confirmSubmitOf(activity: Activity): ConfirmSubmit | undefined {
  const raw = activity.value as Record<string, unknown> | undefined;
  const data = activity.type === 'invoke' && activity.name === 'adaptiveCard/action' ? ((raw?.['action'] as Record<string, unknown> | undefined)?.['data'] as Record<string, unknown> | undefined) : activity.type === 'message' ? raw : undefined;
  const kind = data?.['allotAction'];
  const id = data?.['actionId'];
  return (kind === 'confirm' || kind === 'decline') && typeof id === 'string' ? { allotAction: kind, actionId: id } : undefined;
}

/** The Teams tenant (AAD directory) a message comes from. */
function teamsTenantOf(activity: Activity): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  return activity.conversation.tenantId ?? channelData?.tenant?.id;
}

/**
 * botbuilder CloudAdapter: messages in chats and channels go to the conversation core, answers go back as
 * Adaptive Cards. Requests are authenticated by botbuilder whenever an app id is configured; with no app id it
 * runs in botbuilder's local-emulation mode (no auth), which is meant for development and tests only.
 */
export function createTeamsAdapter(options: TeamsAdapterOptions): TeamsAdapter {
  const { config, conversation, directory } = options;
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppType: config.appType,
    ...(config.appTenantId ? { MicrosoftAppTenantId: config.appTenantId } : {}),
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    options.log?.(`[teams] ${error.message}`);
    await context.sendActivity('Sorry, something went wrong answering that. Please try again in a moment.');
  };

  const logic = async (turn: TurnContext): Promise<void> => {
    const activity = turn.activity;
    const submit = confirmSubmitOf(activity);
    if (activity.type !== 'message' && submit === undefined) return;
    const teamsTenant = teamsTenantOf(activity);
    const tenantId = directory.tenantFor('teams', teamsTenant);
    if (!tenantId) {
      await turn.sendActivity(
        teamsActivity({
          title: 'Teams tenant not connected',
          text: `This Teams tenant (${teamsTenant ?? 'unknown'}) is not connected to a credit tenant yet. An admin can add it to CHATBOT_TENANTS, e.g. teams:${teamsTenant ?? '<tenant id>'}=your-tenant.`,
          tone: 'warning',
          sections: [],
        }),
      );
      return;
    }
    const reference: Partial<ConversationReference> = TurnContext.getConversationReference(activity);
    const ctx: ConversationContext = {
      tenantId,
      userId: activity.from.aadObjectId ?? activity.from.id,
      isAdmin: directory.isAdmin(activity.from.aadObjectId, activity.from.id),
      // The reference lets alerts be posted here later, without an incoming message (proactive messaging).
      channel: { platform: 'teams', channelId: activity.conversation.id, reference: JSON.stringify(reference) },
    };
    if (submit !== undefined) {
      const reply = await conversation.decide(submit.actionId, submit.allotAction === 'confirm', ctx);
      await turn.sendActivity(teamsActivity(reply));
      if (activity.type === 'invoke') {
        // Universal Actions (adaptiveCard/action) want an invoke response; the answer itself went out above.
        await turn.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: reply.title } } });
      }
      return;
    }
    const reply = await conversation.handle(stripTeamsMentions(activity.text ?? ''), ctx);
    await turn.sendActivity(teamsActivity(reply));
  };

  return {
    process: (req, res) => adapter.process(req, res, logic),
    adapter,
    appId: config.appId,
  };
}
