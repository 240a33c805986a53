/**
 * The conversation core: parses a message, asks the credit core over gRPC, and answers with a platform-neutral
 * `Reply`. One instance serves every adapter (Slack, Teams, console); it holds no per-conversation state.
 */
import { status } from '@grpc/grpc-js';
import { CoreCallError } from '@allot/grpc-client';
import type { CoreClient } from '@allot/grpc-client';
import type { Alert } from '@allot/contracts';
import { periodFor } from './answer.context';
import type { AnswerContext, TenantInfo } from './answer.context';
import type { Conversation, ConversationContext, Reply, ReplySection } from './conversation.types';
import { matchEnvironment, environmentScore } from './environment.matcher';
import type { EnvironmentRef } from './environment.matcher';
import { parseIntent } from './intent.parser';
import type { Intent } from './intent.parser';
import { environmentBalance, tenantBalance, tenantBalanceReply } from './balance.answer';
import { environmentStages, stagesReply } from './status.answer';
import { topConsumers } from './top-consumers.answer';
import { forecast } from './forecast.answer';
import { myTrial } from './trial.answer';
import { bindAlerts, refuseBindingChange, unbindAlerts } from './alert-binding.answer';
import { EXAMPLES, helpReply, notUnderstood } from './help.answer';
import { friendlyCoreError, tenantNotLinked } from './core-error.answer';
import { renderAlert } from './alert.renderer';
import { environmentName, worstTone } from './reply-format';

export interface ConversationOptions {
  /** Clients of the credit core (the bot's API key). */
  readonly core: CoreClient;
  /** Clock for "days left"; tests pin it. @defaultValue () => new Date() */
  readonly now?: () => Date;
}

/** Below this score a name is not worth suggesting to someone who asked something we did not understand. */
const SUGGEST_WHEN_NOT_UNDERSTOOD = 0.4;

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

function unknownEnvironment(a: AnswerContext, words: string, suggestions: readonly EnvironmentRef[]): Reply {
  if (suggestions.length === 0) {
    return {
      title: `No environment "${words}"`,
      text: `${a.tenant.name} has no environments yet, so I can't find "${words}".`,
      tone: 'info',
      sections: [],
    };
  }
  const names = suggestions.map((s) => environmentName(s.environmentId, s.displayName));
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return {
    title: `No environment "${words}"`,
    text: `I couldn't find an environment called "${words}" in ${a.tenant.name}. Did you mean ${list}?`,
    tone: 'info',
    sections: [],
    suggestions: suggestions.map((s) => s.environmentId),
  };
}

type Resolved = { readonly env: EnvironmentRef | undefined } | { readonly reply: Reply };

/** No words: the whole tenant. Words: the environment they name, or a "did you mean" reply. */
async function resolveEnvironment(a: AnswerContext, words: string): Promise<Resolved> {
  if (words === '') return { env: undefined };
  const { environments } = await a.core.admin.listEnvironments({ tenantId: a.tenant.tenantId });
  const m = matchEnvironment(words, environments);
  return m.kind === 'match' ? { env: m.environment } : { reply: unknownEnvironment(a, words, m.suggestions) };
}

const DURING: Record<Intent['kind'], string> = {
  help: 'help',
  thanks: 'help',
  balance: 'the balance',
  status: 'the stages of the environments',
  top: 'the usage report',
  forecast: 'the forecast',
  trial: 'your trial',
  'bind-alerts': 'the alert binding',
  'unbind-alerts': 'the alert binding',
  unknown: 'the balance',
};

async function answer(a: AnswerContext, intent: Intent, text: string): Promise<Reply> {
  switch (intent.kind) {
    case 'help':
      return helpReply(a.tenant.name);
    case 'thanks':
      return { title: "You're welcome", text: 'You\'re welcome! Ask me again any time; "help" lists what I know.', tone: 'good', sections: [] };
    case 'trial':
      return myTrial(a);
    case 'bind-alerts':
      return bindAlerts(a);
    case 'unbind-alerts':
      return unbindAlerts(a);
    case 'balance': {
      const r = await resolveEnvironment(a, intent.environment);
      if ('reply' in r) return r.reply;
      const period = periodFor(a, intent.month);
      return r.env ? environmentBalance(a, r.env, period) : tenantBalance(a, period);
    }
    case 'status': {
      // "status of sales prod" is that environment's balance, which carries its stage.
      const r = await resolveEnvironment(a, intent.environment);
      if ('reply' in r) return r.reply;
      const period = periodFor(a, intent.month);
      return r.env ? environmentBalance(a, r.env, period) : environmentStages(a, intent.only, period);
    }
    case 'top': {
      const r = await resolveEnvironment(a, intent.environment);
      if ('reply' in r) return r.reply;
      return topConsumers(a, intent.groups, r.env, { period: periodFor(a, intent.month), limit: intent.limit });
    }
    case 'forecast': {
      const r = await resolveEnvironment(a, intent.environment);
      if ('reply' in r) return r.reply;
      return forecast(a, r.env);
    }
    case 'unknown': {
      if (intent.environment === '') return notUnderstood(text, a.tenant.name);
      // A bare name ("sales prod") asks for that environment's balance.
      const { environments } = await a.core.admin.listEnvironments({ tenantId: a.tenant.tenantId });
      const m = matchEnvironment(intent.environment, environments);
      if (m.kind === 'match') return environmentBalance(a, m.environment);
      const close = m.suggestions.filter((s) => environmentScore(intent.environment, s) >= SUGGEST_WHEN_NOT_UNDERSTOOD);
      if (close.length === 0) return notUnderstood(text, a.tenant.name);
      return unknownEnvironment(a, intent.environment, close);
    }
  }
}

/** Creates the conversation core shared by every channel. */
export function createConversation(options: ConversationOptions): Conversation {
  const now = options.now ?? ((): Date => new Date());
  const { core } = options;

  const withTenant = async (context: ConversationContext, during: string, run: (a: AnswerContext) => Promise<Reply>): Promise<Reply> => {
    try {
      const tenant = await loadTenant(core, context.tenantId);
      return await run({ core, tenant, context, now: now() });
    } catch (e) {
      if (e instanceof TenantNotLinked) return tenantNotLinked();
      return friendlyCoreError(e, during);
    }
  };

  return {
    async handle(text: string, context: ConversationContext): Promise<Reply> {
      const intent = parseIntent(text);
      if (intent.kind === 'bind-alerts' || intent.kind === 'unbind-alerts') {
        const refused = refuseBindingChange(context);
        if (refused) return refused;
      }
      return withTenant(context, DURING[intent.kind], (a) => answer(a, intent, text));
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
