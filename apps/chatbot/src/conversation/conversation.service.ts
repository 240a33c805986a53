/**
 * The conversation core: understands a message (intent classifier and entities), asks the credit core over gRPC,
 * and answers with a platform-neutral `Reply`. One instance serves every adapter (Slack, Teams, console); its only
 * per-conversation state is the action waiting for a yes or no.
 */
import { status } from '@grpc/grpc-js';
import { CoreCallError } from '@allot/grpc-client';
import type { CoreClient } from '@allot/grpc-client';
import type { Alert } from '@allot/contracts';
import type { AnswerContext, TenantInfo } from './answer.context';
import type { Conversation, ConversationContext, Reply, ReplySection } from './conversation.types';
import { periodOf } from '@allot/domain';
import { understand } from '../understanding/understand';
import { route } from './router';
import { unsureReply } from './unsure.answer';
import { PendingActions } from './pending-actions';
import { CapacityRequests } from './capacity-requests';
import type { ChatNotifier } from '../notify/chat-notifier';
import { refuseBindingChange } from './alert-binding.answer';
import { ADMINS_ONLY } from './allocation.actions';
import { tenantBalanceReply } from './balance.answer';
import { stagesReply } from './status.answer';
import { EXAMPLES } from './help.answer';
import { friendlyCoreError, tenantNotLinked } from './core-error.answer';
import { renderAlert } from './alert.renderer';
import { worstTone } from './reply-format';

export interface ConversationOptions {
  /** Clients of the credit core (the bot's API key). */
  readonly core: CoreClient;
  /** Clock for "days left"; tests pin it. @defaultValue () => new Date() */
  readonly now?: () => Date;
  /** Posts capacity request cards to the admins and answers to makers; none in the console. */
  readonly notifier?: ChatNotifier;
}

/** Below this posterior the bot says what it understood and offers the closest questions instead of answering. */
const CONFIDENT = 0.6;

const YES = /^(yes|y|yep|yeah|yup|sure|confirm|confirmed|do it|go ahead|approve|ok do it)[.!]?$/i;
const NO = /^(no|n|nope|nah|cancel|don'?t|decline|abort)[.!]?$/i;

const ALLOCATION_ACTIONS = new Set(['set_allocation', 'raise_allocation', 'lower_allocation', 'move_credits']);
const COPILOT_SETTINGS_ACTIONS = new Set(['copilot_payg', 'copilot_tenant_draw']);

class TenantNotLinked extends Error {
  override readonly name = 'TenantNotLinked';
}

/** Reads the tenant once per message: its name and zone shape every answer. */
async function loadTenant(core: CoreClient, tenantId: string): Promise<TenantInfo> {
  try {
    const r = await core.admin.getTenant({ tenantId });
    const t = r.tenant;
    return { tenantId, name: t?.displayName || tenantId, timeZone: t?.timeZone || 'UTC' };
  } catch (e) {
    if (e instanceof CoreCallError && e.code === status.NOT_FOUND) throw new TenantNotLinked(tenantId);
    throw e;
  }
}

const info = (title: string, text: string): Reply => ({ title, text, tone: 'info', sections: [] });

/** Creates the conversation core shared by every channel. */
export function createConversation(options: ConversationOptions): Conversation {
  const now = options.now ?? ((): Date => new Date());
  const { core } = options;

  const pending = new PendingActions(() => now().getTime());
  const requests = new CapacityRequests(options.notifier, () => now().getTime());

  const withTenant = async (context: ConversationContext, during: string, run: (a: AnswerContext) => Promise<Reply>): Promise<Reply> => {
    try {
      const tenant = await loadTenant(core, context.tenantId);
      return await run({ core, tenant, context, now: now(), pending, requests });
    } catch (e) {
      if (e instanceof TenantNotLinked) return tenantNotLinked();
      return friendlyCoreError(e, during);
    }
  };

  const decide = async (actionId: string, approve: boolean, context: ConversationContext): Promise<Reply> => {
    if (requests.isRequest(actionId)) return withTenant(context, 'the request', (a) => requests.decide(a, actionId, approve));
    const action = pending.get(actionId);
    if (action === undefined) return info('Nothing to confirm', 'That question has expired or was already answered, so nothing was changed. Ask again to see a fresh preview.');
    if (action.userId !== context.userId || action.tenantId !== context.tenantId) {
      return info('Not your question', `Only the person who asked may answer this (to ${action.summary}). Nothing was changed.`);
    }
    pending.take(actionId);
    if (!approve) return info('Cancelled', `Cancelled: I did not ${action.summary}. Nothing was changed.`);
    if (!context.isAdmin) return info('Only admins can do that', 'Sorry, only admins can make changes. Nothing was changed.');
    return withTenant(context, 'the change', () => action.run());
  };

  return {
    decide,

    async handle(text: string, context: ConversationContext): Promise<Reply> {
      const trimmed = text.trim();
      // An admin answering the newest capacity request in words: "approve", "deny: not this month".
      const typed = /^(approve|deny)\b[:\s-]*(.*)$/i.exec(trimmed);
      const request = typed && context.isAdmin ? requests.latest(context.tenantId) : undefined;
      if (typed && request) {
        return withTenant(context, 'the request', (a) => requests.decide(a, request.id, (typed[1] ?? '').toLowerCase() === 'approve', typed[2] ?? ''));
      }
      if (YES.test(trimmed) || NO.test(trimmed)) {
        const open = pending.forConversation(context);
        if (open !== undefined) return decide(open.id, YES.test(trimmed), context);
        if (YES.test(trimmed)) return info('Nothing to confirm', 'Nothing is waiting for a yes here. Ask for a change first, e.g. "give sales prod 10k more credits".');
      }
      // Refusals that need no data come first, so a refused person causes no core call at all.
      const early = understand(text, periodOf(now().getTime(), 'UTC'));
      if (early.known && early.confidence >= CONFIDENT) {
        if (early.intent === 'bind_alerts' || early.intent === 'unbind_alerts') {
          const refused = refuseBindingChange(context);
          if (refused) return refused;
        }
        if (ALLOCATION_ACTIONS.has(early.intent) && !context.isAdmin) return ADMINS_ONLY('change allocations');
        if (COPILOT_SETTINGS_ACTIONS.has(early.intent) && !context.isAdmin) return ADMINS_ONLY('change Copilot Credit settings');
      }
      return withTenant(context, 'the answer', async (a) => {
        const { environments } = await core.admin.listEnvironments({ tenantId: a.tenant.tenantId });
        const names = environments.flatMap((e) => [e.environmentId, e.displayName]);
        const u = understand(text, periodOf(a.now.getTime(), a.tenant.timeZone || 'UTC'), names);
        if (!u.known || u.confidence < CONFIDENT) return unsureReply(text, u, a.tenant.name);
        return route(a, u, text);
      });
    },

    async homeSummary(context: ConversationContext): Promise<Reply> {
      return withTenant(context, "the tenant's summary", async (a) => {
        const [balance, stages] = await Promise.all([
          core.reporting.getBalance({ tenantId: a.tenant.tenantId, environmentId: '', userId: '', period: '' }),
          core.reporting.listEnvironmentBalances({ tenantId: a.tenant.tenantId, period: '' }),
        ]);
        const total = tenantBalanceReply(a, balance, stages.environments);
        const envs = stagesReply(a, stages);
        const tip: ReplySection = {
          heading: 'Ask me',
          text: EXAMPLES.slice(0, 4)
            .map((e) => `${e.label}: ${e.value}`)
            .join('\n'),
        };
        return {
          title: `${a.tenant.name}: AI credits`,
          text: `${total.text}\n${envs.text}`,
          tone: worstTone([total.tone, envs.tone]),
          sections: [...total.sections, { heading: 'Environments', text: envs.text.split('\n')[0] }, ...envs.sections, tip],
        };
      });
    },

    renderAlert(alert: Alert): Reply {
      return renderAlert(alert);
    },
  };
}
