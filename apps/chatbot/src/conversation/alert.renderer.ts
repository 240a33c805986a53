/**
 * Alerts from the core's outbox as messages for bound channels, in the tone their kind and stage call for:
 * a warning nudges, overage and blocks alarm, a stage going down reassures, the month summary informs.
 * For a DUAL tenant (the core fills the alert's Copilot fields) the Copilot Credits are shown beside the AI Builder
 * credits, in the words of Microsoft's rules (no grace; only runs are ever refused).
 * Pure: alerts carry what they need, so rendering never calls the core (delivery must not depend on it).
 */
import { AlertKind, Currency, Stage } from '@allot/contracts';
import type { Alert } from '@allot/contracts';
import type { Fact, Reply, ReplySection, Tone } from './conversation.types';
import { credits, formatCredits, formatDay, formatPeriod, progressBar, stageLabel, usagePercent } from './reply-format';
import { aiBuilderCredits, copilotCredits, creditsIn } from './copilot-format';
import { ZONE, alertCopilot, copilotBar, copilotFacts, copilotUsedWords, periodFact, scopeName, withCoreMessage } from './alert-parts';
import { periodClosed } from './period-closed.alert';
import { sourceLimitAlert } from './source-limit.alert';

const usageFacts = (a: Alert): Fact[] => {
  const p = usagePercent(a.consumed, a.available);
  const copilot = alertCopilot(a);
  const amount = creditsIn(copilot !== undefined);
  return [
    { label: 'Consumed', value: amount(a.consumed) },
    { label: 'Available', value: amount(a.available) },
    { label: 'Usage', value: p === null ? 'no credits available' : `${p}%` },
    ...(copilot ? copilotFacts(copilot) : []),
  ];
};

/** The section of a scope's usage: its figures, its bar, and the Copilot bar beside it (DUAL). */
function usageSection(a: Alert, facts: Fact[]): ReplySection {
  const copilot = alertCopilot(a);
  const bar = copilot ? copilotBar(copilot) : undefined;
  return { facts, progress: { used: a.consumed, available: a.available }, ...(bar ? { copilotProgress: bar } : {}) };
}

/** "340,000 credits of 400,000 credits (85%)"; DUAL "340,000 of 400,000 AI Builder credits (85%) and 1,234.5 of …". */
function usedWords(a: Alert): string {
  const percent = progressBar(a.consumed, a.available).replace(/^\S+ /, '');
  const copilot = alertCopilot(a);
  if (copilot === undefined) return `${credits(a.consumed)} of ${credits(a.available)} (${percent})`;
  return `${formatCredits(a.consumed)} of ${aiBuilderCredits(a.available)} (${percent}) and ${copilotUsedWords(copilot)}`;
}

function stageChanged(a: Alert): Reply {
  const who = scopeName(a);
  const dual = alertCopilot(a) !== undefined;
  const used = usedWords(a);
  const facts: Fact[] = [
    { label: 'Environment', value: who },
    { label: 'Stage', value: `${stageLabel(a.previousStage)} → ${stageLabel(a.stage)}` },
    ...usageFacts(a),
    ...periodFact(a),
  ];
  const section = usageSection(a, facts);
  const reply = (title: string, text: string, tone: Tone): Reply => ({ title, text, tone, sections: [section] });

  if (a.stage < a.previousStage) {
    if (a.stage === Stage.STAGE_NORMAL) {
      return reply(
        `${who} is back to normal`,
        `Good news: ${who} is back to Normal (was ${stageLabel(a.previousStage)}). It has used ${used}; every AI operation runs again.`,
        'good',
      );
    }
    return reply(
      `${who} is back to ${stageLabel(a.stage)}`,
      `${who} went down from ${stageLabel(a.previousStage)} to ${stageLabel(a.stage)}: it has used ${used}.` +
        (a.stage === Stage.STAGE_WARNING && !dual ? ' Building and testing models work again.' : ' Runs work again.'),
      a.stage === Stage.STAGE_WARNING ? 'warning' : 'overage',
    );
  }
  switch (a.stage) {
    case Stage.STAGE_WARNING:
      return reply(
        `${who} is near its credit limit`,
        `Heads up: ${who} has used ${used} this month. ` +
          (dual
            ? 'When neither currency has anything left, runs will be refused (building, testing and training models stay free).'
            : 'Past 100%, building and testing models will be refused.'),
        'warning',
      );
    case Stage.STAGE_OVERAGE:
      return reply(
        `${who} is over its credit limit`,
        `${who} has used ${used}: it is in overage. Runs go on for now, but building and testing models are refused. ` +
          'Add credits or reallocate to lift it.',
        'overage',
      );
    case Stage.STAGE_BLOCKED:
      return reply(
        `${who} is blocked`,
        `${who} is blocked: ${dual ? 'nothing is left in either currency, so runs there are refused (building, testing and training models go on)' : 'every AI operation there is refused'}. ` +
          `It has used ${used}. Add credits or reallocate to unblock it now, or wait for the monthly reset.`,
        'blocked',
      );
    default:
      return reply(`${who} is ${stageLabel(a.stage)}`, `${who} is now ${stageLabel(a.stage)}: it has used ${used}.`, 'good');
  }
}

function trial(a: Alert): Reply {
  const user = a.userId || 'a user';
  const expires = a.expiresAt ? formatDay(a.expiresAt, ZONE) : undefined;
  const facts: Fact[] = [{ label: 'User', value: user }];
  if (expires) facts.push({ label: a.kind === AlertKind.ALERT_KIND_TRIAL_EXPIRING ? 'Expires' : 'Expired', value: expires });
  if (a.available > 0) facts.push({ label: 'Trial credits used', value: `${credits(a.consumed)} of ${credits(a.available)}` });
  const sections: ReplySection[] = [
    { facts, ...(a.available > 0 ? { progress: { used: a.consumed, available: a.available } } : {}) },
  ];
  switch (a.kind) {
    case AlertKind.ALERT_KIND_TRIAL_EXPIRING: {
      const days =
        a.expiresAt && a.createdAt ? Math.max(0, Math.round((a.expiresAt.getTime() - a.createdAt.getTime()) / 86_400_000)) : undefined;
      const when = days === undefined ? (expires ? `on ${expires}` : 'soon') : days <= 1 ? `tomorrow${expires ? ` (${expires})` : ''}` : `in ${days} days${expires ? ` (${expires})` : ''}`;
      return {
        title: `Trial of ${user} expires ${days !== undefined && days <= 1 ? 'tomorrow' : 'soon'}`,
        text: `The AI credits trial of ${user} expires ${when}. After that, their runs that draw on it are refused; buy capacity or extend the trial.`,
        tone: 'warning',
        sections,
      };
    }
    case AlertKind.ALERT_KIND_TRIAL_EXPIRED:
      return {
        title: `Trial of ${user} has expired`,
        text: `The AI credits trial of ${user} has expired${expires ? ` (${expires})` : ''}. Their runs that drew on it are now refused; an admin may extend it (at most twice).`,
        tone: 'blocked',
        sections,
      };
    default:
      return {
        title: `Trial of ${user} is used up`,
        text: `${user} has used all the credits of their trial. Their runs that draw on it are now refused.`,
        tone: 'blocked',
        sections,
      };
  }
}

/** The burn rate says the scope runs out before the reset; a DUAL tenant gets one such alert per currency. */
function forecastExhaustion(a: Alert): Reply {
  const who = scopeName(a);
  const copilot = alertCopilot(a);
  // The Copilot Credit forecast alert carries only Copilot numbers (its AI Builder fields are 0).
  const copilotOnly = a.currency === Currency.CURRENCY_COPILOT && copilot !== undefined;
  const what = a.currency === Currency.CURRENCY_COPILOT ? 'Copilot Credits' : a.currency === Currency.CURRENCY_AI_BUILDER ? 'AI Builder credits' : 'credits';
  const bar = copilot ? copilotBar(copilot) : undefined;
  const section: ReplySection = copilotOnly
    ? { facts: [{ label: 'Environment', value: who }, ...copilotFacts(copilot), ...periodFact(a)], ...(bar ? { copilotProgress: bar } : {}) }
    : usageSection(a, [{ label: 'Environment', value: who }, ...usageFacts(a), ...periodFact(a)]);
  return {
    title: `${who} may run out${copilotOnly ? ' of Copilot Credits' : ''} this month`,
    text: withCoreMessage(`At the burn rate of the last 7 days, ${who} will run out of ${what} before the monthly reset.`, a),
    tone: 'warning',
    sections: [section],
  };
}

/** Allocations above capacity; of Copilot Credits when the alert says so (DUAL: each currency has its own capacity). */
function overAllocated(a: Alert): Reply {
  const copilot = a.currency === Currency.CURRENCY_COPILOT;
  const capacity = copilot ? copilotCredits(a.copilotAvailable ?? String(a.available)) : credits(a.available);
  const known = copilot ? a.copilotAvailable !== undefined || a.available > 0 : a.available > 0 || a.consumed > 0;
  return {
    title: `${a.tenantId} is over-allocated${copilot ? ' in Copilot Credits' : ''}`,
    text: withCoreMessage(
      `${copilot ? 'Copilot Credit allocations' : 'Allocations'} of ${a.tenantId} exceed its ${copilot ? 'Copilot ' : ''}capacity${a.period ? ` in ${formatPeriod(a.period)}` : ''} ` +
        '(an entitlement probably ended). Nothing is left unassigned; an admin should lower allocations.',
      a,
    ),
    tone: 'warning',
    sections: [{ facts: [...(known ? [{ label: 'Capacity', value: capacity }] : []), ...periodFact(a)] }],
  };
}

/** An alert from the core as a Reply for the channels bound to its tenant. */
export function renderAlert(a: Alert): Reply {
  switch (a.kind) {
    case AlertKind.ALERT_KIND_STAGE_CHANGED:
      return stageChanged(a);
    case AlertKind.ALERT_KIND_TRIAL_EXPIRING:
    case AlertKind.ALERT_KIND_TRIAL_EXPIRED:
    case AlertKind.ALERT_KIND_TRIAL_EXHAUSTED:
      return trial(a);
    case AlertKind.ALERT_KIND_OVER_ALLOCATED:
      return overAllocated(a);
    case AlertKind.ALERT_KIND_FORECAST_EXHAUSTION:
      return forecastExhaustion(a);
    case AlertKind.ALERT_KIND_PERIOD_CLOSED:
      return periodClosed(a);
    case AlertKind.ALERT_KIND_SOURCE_LIMIT_WARNING:
    case AlertKind.ALERT_KIND_SOURCE_LIMIT_EXCEEDED:
      return sourceLimitAlert(a);
    default:
      return { title: a.title || 'Credit alert', text: a.message || a.title || 'A credit alert was raised.', tone: 'info', sections: [] };
  }
}
