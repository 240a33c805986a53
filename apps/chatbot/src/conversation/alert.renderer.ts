/**
 * Alerts from the core's outbox as messages for bound channels, in the tone their kind and stage call for:
 * a warning nudges, overage and blocks alarm, a stage going down reassures, the month summary informs.
 * Pure: alerts carry what they need, so rendering never calls the core (delivery must not depend on it).
 */
import { AlertKind, Stage } from '@allot/contracts';
import type { Alert, PeriodSummaryLine } from '@allot/contracts';
import type { Fact, Reply, ReplySection, Tone } from './conversation.types';
import { credits, environmentName, formatCredits, formatDay, formatPeriod, progressBar, stageLabel, usagePercent } from './reply-format';

/** Alerts carry no zone; dates are shown as UTC days. */
const ZONE = 'UTC';

const scopeName = (a: Alert): string =>
  a.environmentId ? environmentName(a.environmentId, a.environmentDisplayName) : `${a.tenantId}'s shared pool`;

const usageFacts = (a: Alert): Fact[] => {
  const p = usagePercent(a.consumed, a.available);
  return [
    { label: 'Consumed', value: credits(a.consumed) },
    { label: 'Available', value: credits(a.available) },
    { label: 'Usage', value: p === null ? 'no credits available' : `${p}%` },
  ];
};

const periodFact = (a: Alert): Fact[] => (a.period ? [{ label: 'Period', value: formatPeriod(a.period) }] : []);

const withCoreMessage = (text: string, a: Alert): string =>
  a.message && !text.includes(a.message) ? `${text}\n${a.message}` : text;

function stageChanged(a: Alert): Reply {
  const who = scopeName(a);
  const used = `${credits(a.consumed)} of ${credits(a.available)} (${progressBar(a.consumed, a.available).replace(/^\S+ /, '')})`;
  const facts: Fact[] = [
    { label: 'Environment', value: who },
    { label: 'Stage', value: `${stageLabel(a.previousStage)} → ${stageLabel(a.stage)}` },
    ...usageFacts(a),
    ...periodFact(a),
  ];
  const section: ReplySection = { facts, progress: { used: a.consumed, available: a.available } };
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
        (a.stage === Stage.STAGE_WARNING ? ' Building and testing models work again.' : ' Runs work again.'),
      a.stage === Stage.STAGE_WARNING ? 'warning' : 'overage',
    );
  }
  switch (a.stage) {
    case Stage.STAGE_WARNING:
      return reply(
        `${who} is near its credit limit`,
        `Heads up: ${who} has used ${used} this month. Past 100%, building and testing models will be refused.`,
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
        `${who} is blocked: every AI operation there is refused. It has used ${used}. ` +
          'Add credits or reallocate to unblock it now, or wait for the monthly reset.',
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

const summaryFacts = (lines: readonly PeriodSummaryLine[], environments: boolean): Fact[] =>
  lines.map((l, i) => ({
    label: `${i + 1}. ${environments ? environmentName(l.key, l.label) : l.label || l.key}`,
    value: credits(l.credits) + (l.overageCredits > 0 ? ` (${formatCredits(l.overageCredits)} over)` : ''),
  }));

function periodClosed(a: Alert): Reply {
  const period = a.period ? formatPeriod(a.period) : 'Last month';
  const total = a.byEnvironment.reduce((s, l) => s + l.credits, 0);
  const sections: ReplySection[] = [
    {
      facts: [
        { label: 'Consumed', value: credits(total) },
        { label: 'Overage', value: credits(a.totalOverage) },
      ],
    },
  ];
  if (a.byEnvironment.length > 0) sections.push({ heading: 'By environment', facts: summaryFacts(a.byEnvironment, true) });
  if (a.topUsers.length > 0) sections.push({ heading: 'Top users', facts: summaryFacts(a.topUsers, false) });
  const lines = [
    `${period} is closed: ${credits(total)} consumed` + (a.totalOverage > 0 ? `, ${credits(a.totalOverage)} of it over the limits.` : ', all within the limits.'),
  ];
  if (a.byEnvironment.length > 0) lines.push(`By environment: ${a.byEnvironment.map((l) => `${l.label || l.key} ${formatCredits(l.credits)}`).join(', ')}.`);
  if (a.topUsers.length > 0) lines.push(`Top users: ${a.topUsers.map((l) => `${l.label || l.key} ${formatCredits(l.credits)}`).join(', ')}.`);
  lines.push('Counts start again from 0 and blocks are lifted.');
  return {
    title: `${period} summary`,
    text: lines.join('\n'),
    tone: a.totalOverage > 0 ? 'overage' : 'info',
    sections,
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
      return {
        title: `${a.tenantId} is over-allocated`,
        text: withCoreMessage(
          `Allocations of ${a.tenantId} exceed its capacity${a.period ? ` in ${formatPeriod(a.period)}` : ''} (an entitlement probably ended). Nothing is left unassigned; an admin should lower allocations.`,
          a,
        ),
        tone: 'warning',
        sections: [{ facts: [...(a.available > 0 || a.consumed > 0 ? [{ label: 'Capacity', value: credits(a.available) }] : []), ...periodFact(a)] }],
      };
    case AlertKind.ALERT_KIND_FORECAST_EXHAUSTION: {
      const who = scopeName(a);
      return {
        title: `${who} may run out this month`,
        text: withCoreMessage(`At the burn rate of the last 7 days, ${who} will run out of credits before the monthly reset.`, a),
        tone: 'warning',
        sections: [{ facts: [{ label: 'Environment', value: who }, ...usageFacts(a), ...periodFact(a)], progress: { used: a.consumed, available: a.available } }],
      };
    }
    case AlertKind.ALERT_KIND_PERIOD_CLOSED:
      return periodClosed(a);
    default:
      return { title: a.title || 'Credit alert', text: a.message || a.title || 'A credit alert was raised.', tone: 'info', sections: [] };
  }
}
