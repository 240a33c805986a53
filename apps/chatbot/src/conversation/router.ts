/**
 * From an understood message to its answer. Each intent checks that it has what it needs (environment, amount)
 * and otherwise says what it understood and what is missing; nothing falls through to another question.
 */
import type { AnswerContext } from './answer.context';
import type { Reply } from './conversation.types';
import { matchEnvironment } from './environment.matcher';
import { listEnvironmentRefs, requireEnvironment, resolveEnvironment } from './environment.resolve';
import type { Understanding } from '../understanding/understand';
import { environmentBalance, tenantBalance } from './balance.answer';
import { environmentStages } from './status.answer';
import { topConsumers, type TopGroup } from './top-consumers.answer';
import { forecast } from './forecast.answer';
import { myTrial } from './trial.answer';
import { previewBind, previewUnbind, refuseBindingChange } from './alert-binding.answer';
import { helpReply } from './help.answer';
import { userUsage, consumptionBySource } from './usage-questions.answer';
import { listByCondition } from './lists.answer';
import { capacityAnswer } from './capacity.answer';
import { whyAnswer } from './why.answer';
import { whatIfAdd, whatIfEnd, whatIfMove } from './what-if.answer';
import { previewAllocationAction, type AllocationAction } from './allocation.actions';
import { previewCopilotSettings, type CopilotSettings } from './copilot-settings.actions';
import { missingPart } from './unsure.answer';
import { credits, formatPeriod } from './reply-format';

const moneyReply = (u: Understanding): Reply | undefined =>
  u.entities.money && u.entities.amounts.length === 0
    ? {
        title: 'Credits, not money',
        text: `I count AI credits, not ${u.entities.money.currency}: "${u.entities.money.text}" is an amount of money. Say it in credits, e.g. "${formatAmount(u.entities.money.value)} credits". Nothing was changed.`,
        tone: 'info',
        sections: [],
      }
    : undefined;
const formatAmount = (n: number): string => credits(n).replace(/ credits?$/, '');

/** Requests carry AI Builder credits only (capacity-requests.ts): a request in Copilot Credits is not filed as one in AI Builder credits. */
const COPILOT_REQUESTS: Reply = {
  title: 'AI Builder credits only',
  text: 'I can only ask the admins for more AI Builder credits for now, not Copilot Credits. Ask an admin directly; they can allocate Copilot Credits here ("allocate 5,000 Copilot Credits to <environment>"). Nothing was changed.',
  tone: 'info',
  sections: [],
};

async function withSubjectEnv(a: AnswerContext, words: string, then: (env: Parameters<typeof environmentBalance>[1] | undefined) => Promise<Reply>): Promise<Reply> {
  const r = await resolveEnvironment(a, words);
  return 'reply' in r ? r.reply : then(r.env);
}

/** "how much did ada use": a user, unless the name is an environment's ("how much did dev use"). */
async function usageQuestion(a: AnswerContext, u: Understanding, period: string): Promise<Reply> {
  const { user, subject } = u.entities;
  const envs = await listEnvironmentRefs(a);
  if (user === undefined || (!user.includes('@') && matchEnvironment(user, envs).kind === 'match')) {
    const words = user ?? subject;
    // "how much did we spend in October": nobody named, so the whole tenant.
    if (words === '') return tenantBalance(a, period);
    const m = matchEnvironment(words, envs);
    return m.kind === 'match' ? environmentBalance(a, m.environment, period) : userUsage(a, words, undefined, period);
  }
  return withSubjectEnv(a, subject, (env) => userUsage(a, user, env, period));
}

async function allocationAction(a: AnswerContext, u: Understanding): Promise<Reply> {
  const { amounts, subject, from, to } = u.entities;
  const amount = amounts[0];
  // "Copilot Credits" named: the same action on the Copilot allocation (DUAL tenants; a CLASSIC one is told so).
  const currency = u.entities.currency === 'COPILOT' ? { currency: 'COPILOT' as const } : {};
  if (u.intent === 'move_credits') {
    if (amount === undefined) return missingPart(u, 'move credits', 'how many credits');
    if (from === undefined || to === undefined) return missingPart(u, 'move credits', 'both environments (from … to …)');
    const f = await requireEnvironment(a, from, 'move credits from');
    if ('reply' in f) return f.reply;
    const t = await requireEnvironment(a, to, 'move credits to');
    if ('reply' in t) return t.reply;
    return previewAllocationAction(a, { kind: 'move', from: f.env, to: t.env, credits: amount, ...currency });
  }
  const verb = u.intent === 'set_allocation' ? 'set an allocation' : u.intent === 'raise_allocation' ? 'raise an allocation' : 'lower an allocation';
  if (amount === undefined) return missingPart(u, verb, 'how many credits');
  const r = await requireEnvironment(a, subject, verb);
  if ('reply' in r) return r.reply;
  const action: AllocationAction =
    u.intent === 'set_allocation' ? { kind: 'set', env: r.env, credits: amount, ...currency } : { kind: u.intent === 'raise_allocation' ? 'raise' : 'lower', env: r.env, by: amount, ...currency };
  return previewAllocationAction(a, action);
}

/**
 * "turn on pay-as-you-go for prod with a budget of 5,000", "turn off pay-as-you-go for prod", "stop prod drawing
 * Copilot Credits from the tenant": the settings to change, or what is missing.
 */
async function copilotSettingsAction(a: AnswerContext, u: Understanding): Promise<Reply> {
  const { toggle, noBudget, amounts } = u.entities;
  let change: CopilotSettings;
  if (u.intent === 'copilot_tenant_draw') {
    change = { drawFromTenant: toggle !== 'off' };
  } else if (toggle === 'off') {
    change = { payg: false };
  } else {
    const budget = noBudget ? 0 : amounts[0];
    if (toggle === undefined && budget === undefined) return missingPart(u, 'change pay-as-you-go', 'whether to turn it on or off');
    change = { payg: true, ...(budget !== undefined ? { paygBudget: budget } : {}) };
  }
  const r = await requireEnvironment(a, u.entities.subject, u.intent === 'copilot_tenant_draw' ? 'change where Copilot Credits are drawn from' : 'change pay-as-you-go');
  if ('reply' in r) return r.reply;
  return previewCopilotSettings(a, r.env, change);
}

export async function route(a: AnswerContext, u: Understanding, text: string): Promise<Reply> {
  const e = u.entities;
  const period = e.period?.period ?? '';
  if (e.period?.future) {
    return { title: 'Not yet', text: `${formatPeriod(e.period.period)} has not started, so there is nothing to report yet. Ask "when will <environment> run out?" for a forecast.`, tone: 'info', sections: [] };
  }
  const money = moneyReply(u);
  switch (u.intent) {
    case 'help':
      return helpReply(a.tenant.name);
    case 'thanks':
      return { title: "You're welcome", text: 'You\'re welcome! Ask me again any time; "help" lists what I know.', tone: 'good', sections: [] };
    case 'trial':
      return myTrial(a);
    case 'balance':
      return withSubjectEnv(a, e.subject, (env) => (env ? environmentBalance(a, env, period) : tenantBalance(a, period)));
    case 'status':
      return withSubjectEnv(a, e.subject, (env) => (env ? environmentBalance(a, env, period) : environmentStages(a, undefined, period)));
    case 'list':
      return e.condition ? listByCondition(a, e.condition, period) : environmentStages(a, undefined, period);
    case 'user_usage':
      return usageQuestion(a, u, period);
    case 'top': {
      if (e.groups.includes('sources')) return withSubjectEnv(a, e.subject, (env) => consumptionBySource(a, env, period));
      const groups = e.groups.filter((g): g is TopGroup => g !== 'sources');
      const limit = Math.max(1, Math.min(20, e.amounts[0] ?? 5));
      return withSubjectEnv(a, e.subject, (env) => topConsumers(a, groups.length > 0 ? groups : ['users', 'environments'], env, { period, limit }));
    }
    case 'why': {
      const envWords = e.subject;
      const r = await requireEnvironment(a, envWords, 'know why');
      if ('reply' in r) return r.reply;
      return whyAnswer(a, r.env, e.user ?? a.context.userId);
    }
    case 'capacity':
      return capacityAnswer(a, period);
    case 'forecast':
      return withSubjectEnv(a, e.subject, (env) => forecast(a, env));
    case 'whatif_move': {
      if (money) return money;
      const amount = e.amounts[0];
      if (amount === undefined) return missingPart(u, 'see what moving credits would do', 'how many credits');
      if (e.from === undefined || e.to === undefined) return missingPart(u, 'see what moving credits would do', 'both environments (from … to …)');
      const f = await requireEnvironment(a, e.from, 'move credits from');
      if ('reply' in f) return f.reply;
      const t = await requireEnvironment(a, e.to, 'move credits to');
      if ('reply' in t) return t.reply;
      return whatIfMove(a, f.env, t.env, amount, e.currency);
    }
    case 'whatif_add':
      return money ?? whatIfAdd(a, e.amounts);
    case 'whatif_end':
      return whatIfEnd(a, text);
    case 'set_allocation':
    case 'raise_allocation':
    case 'lower_allocation':
    case 'move_credits':
      return money ?? allocationAction(a, u);
    case 'copilot_payg':
    case 'copilot_tenant_draw':
      return money ?? copilotSettingsAction(a, u);
    case 'bind_alerts':
    case 'unbind_alerts': {
      const refused = refuseBindingChange(a.context);
      if (refused) return refused;
      return u.intent === 'bind_alerts' ? previewBind(a) : previewUnbind(a);
    }
    case 'capacity_request': {
      if (money) return money;
      const amount = e.amounts[0];
      if (amount === undefined) return missingPart(u, 'ask the admins for more credits', 'how many credits');
      if (e.currency === 'COPILOT') return COPILOT_REQUESTS;
      const r = await requireEnvironment(a, e.subject, 'ask for more credits');
      if ('reply' in r) return r.reply;
      return a.requests.submit(a, r.env, amount);
    }
  }
}
