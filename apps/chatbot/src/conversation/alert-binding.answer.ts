/** "alerts here" / "stop alerts": an admin binds this channel to the tenant's alerts, or unbinds it. */
import { actorHeaders, type AnswerContext } from './answer.context';
import type { ConversationContext, Reply } from './conversation.types';

const ADMIN_ONLY: Reply = {
  title: 'Only admins can change alerts',
  text: 'Sorry, only admins can choose where credit alerts go. You can still ask me anything about credits; ask an admin to say "alerts here" in the channel that should get them.',
  tone: 'info',
  sections: [],
};

/** The console prints to one terminal; there is nowhere to post alerts later. */
const nowhereToPost = (ctx: ConversationContext): Reply | undefined =>
  ctx.channel.platform === 'console'
    ? {
        title: 'Alerts go to Slack or Teams',
        text: 'The console cannot receive alerts. Say "alerts here" in a Slack channel or Teams conversation instead.',
        tone: 'info',
        sections: [],
      }
    : undefined;

/** Checked before any core call, so a refused user changes nothing. */
export const refuseBindingChange = (ctx: ConversationContext): Reply | undefined =>
  ctx.isAdmin ? nowhereToPost(ctx) : ADMIN_ONLY;

export async function bindAlerts(a: AnswerContext): Promise<Reply> {
  const { channel, userId } = a.context;
  const r = await a.core.alerts.bindChannel({
    binding: {
      tenantId: a.tenant.tenantId,
      platform: channel.platform,
      channelId: channel.channelId,
      reference: channel.reference ?? '',
      boundBy: userId,
      boundAt: undefined,
    },
  }, { headers: actorHeaders(a.context) });
  return r.alreadyBound
    ? {
        title: 'Alerts already come here',
        text: `This channel already gets ${a.tenant.name}'s credit alerts. Say "stop alerts" to stop them.`,
        tone: 'info',
        sections: [],
      }
    : {
        title: 'Alerts will come here',
        text: `Done: ${a.tenant.name}'s credit alerts (warnings, overage, blocks, trials, forecasts and the monthly summary) will be posted in this channel. Say "stop alerts" to stop them.`,
        tone: 'good',
        sections: [],
      };
}

export async function unbindAlerts(a: AnswerContext): Promise<Reply> {
  const { channel } = a.context;
  const r = await a.core.alerts.unbindChannel({
    tenantId: a.tenant.tenantId,
    platform: channel.platform,
    channelId: channel.channelId,
  }, { headers: actorHeaders(a.context) });
  return r.removed
    ? { title: 'Alerts stopped', text: `This channel will no longer get ${a.tenant.name}'s credit alerts.`, tone: 'info', sections: [] }
    : { title: 'No alerts here', text: `This channel was not getting ${a.tenant.name}'s credit alerts.`, tone: 'info', sections: [] };
}

const where = (a: AnswerContext): string => `${a.context.channel.platform} ${a.context.channel.channelId}`;

/** "alerts here", previewed: binding is an action, so it waits for a yes. */
export function previewBind(a: AnswerContext): Reply {
  const summary = `post ${a.tenant.name}'s credit alerts in this channel (${where(a)})`;
  const pending = a.pending.add(a.context, summary, () => bindAlerts(a));
  return {
    title: 'Confirm: alerts here',
    text: `I will ${summary}: warnings, overage, blocks, trials, forecasts and the monthly summary. Do it? Answer yes or no.`,
    tone: 'warning',
    sections: [],
    confirm: { actionId: pending.id, yes: 'Yes, bind', no: 'No' },
  };
}

/** "stop alerts", previewed. */
export function previewUnbind(a: AnswerContext): Reply {
  const summary = `stop posting ${a.tenant.name}'s credit alerts in this channel (${where(a)})`;
  const pending = a.pending.add(a.context, summary, () => unbindAlerts(a));
  return {
    title: 'Confirm: stop alerts',
    text: `I will ${summary}. Do it? Answer yes or no.`,
    tone: 'warning',
    sections: [],
    confirm: { actionId: pending.id, yes: 'Yes, unbind', no: 'No' },
  };
}
