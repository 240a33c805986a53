/**
 * The month summary of a PERIOD_CLOSED alert: consumption by environment and top users, with the overage; for a
 * DUAL tenant the Copilot Credits of the period beside the AI Builder credits.
 */
import type { Alert, PeriodSummaryLine } from '@allot/contracts';
import { formatMillis } from '@allot/domain';
import type { Fact, Reply, ReplySection } from './conversation.types';
import { credits, environmentName, formatCredits, formatPeriod } from './reply-format';
import { aiBuilderCredits, copilotCredits, wireMillis, isPositive } from './copilot-format';

/** The core filled the Copilot totals or a line's Copilot Credits: the tenant is DUAL. */
const isDual = (a: Alert): boolean =>
  a.totalCopilotCredits !== undefined || a.totalCopilotOverage !== undefined || [...a.byEnvironment, ...a.topUsers].some((l) => l.copilotCredits !== undefined);

/** The period's Copilot Credits: the core's total, or the sum of the environments' when it sent none. */
const copilotTotal = (a: Alert): string =>
  a.totalCopilotCredits ?? formatMillis(a.byEnvironment.reduce((s, l) => s + (wireMillis(l.copilotCredits) ?? 0), 0));

/**
 * One line's consumption: "450,000" in the text and "450,000 credits (50,000 over)" as a fact (CLASSIC);
 * DUAL "450,000 AI Builder credits (50,000 over) · 1,234.5 Copilot Credits".
 */
function lineAmount(l: PeriodSummaryLine, dual: boolean, asFact: boolean): string {
  const over = asFact && l.overageCredits > 0 ? ` (${formatCredits(l.overageCredits)} over)` : '';
  if (!dual) return (asFact ? credits(l.credits) : formatCredits(l.credits)) + over;
  const copilot = isPositive(l.copilotCredits) ? copilotCredits(l.copilotCredits) : '';
  const ab = l.credits > 0 || copilot === '' ? aiBuilderCredits(l.credits) + over : '';
  return [ab, copilot].filter((p) => p !== '').join(' · ');
}

const summaryFacts = (lines: readonly PeriodSummaryLine[], environments: boolean, dual: boolean): Fact[] =>
  lines.map((l, i) => ({
    label: `${i + 1}. ${environments ? environmentName(l.key, l.label) : l.label || l.key}`,
    value: lineAmount(l, dual, true),
  }));

export function periodClosed(a: Alert): Reply {
  const dual = isDual(a);
  const amount = dual ? aiBuilderCredits : credits;
  const period = a.period ? formatPeriod(a.period) : 'Last month';
  const total = a.byEnvironment.reduce((s, l) => s + l.credits, 0);
  const copilotOver = dual && isPositive(a.totalCopilotOverage);
  const facts: Fact[] = [
    { label: 'Consumed', value: amount(total) },
    { label: 'Overage', value: amount(a.totalOverage) },
  ];
  if (dual) {
    facts.push({ label: 'Copilot Credits', value: copilotCredits(copilotTotal(a)) });
    facts.push({ label: 'Copilot overage', value: copilotCredits(a.totalCopilotOverage ?? '0') });
  }
  const sections: ReplySection[] = [{ facts }];
  if (a.byEnvironment.length > 0) sections.push({ heading: 'By environment', facts: summaryFacts(a.byEnvironment, true, dual) });
  if (a.topUsers.length > 0) sections.push({ heading: 'Top users', facts: summaryFacts(a.topUsers, false, dual) });
  const consumed = dual ? `${amount(total)} and ${copilotCredits(copilotTotal(a))}` : credits(total);
  const over = [a.totalOverage > 0 ? amount(a.totalOverage) : '', copilotOver ? copilotCredits(a.totalCopilotOverage) : ''].filter((x) => x !== '');
  const lines = [`${period} is closed: ${consumed} consumed` + (over.length > 0 ? `, ${over.join(' and ')} of it over the limits.` : ', all within the limits.')];
  if (a.byEnvironment.length > 0) lines.push(`By environment: ${a.byEnvironment.map((l) => `${l.label || l.key} ${lineAmount(l, dual, false)}`).join(', ')}.`);
  if (a.topUsers.length > 0) lines.push(`Top users: ${a.topUsers.map((l) => `${l.label || l.key} ${lineAmount(l, dual, false)}`).join(', ')}.`);
  lines.push('Counts start again from 0 and blocks are lifted.');
  return {
    title: `${period} summary`,
    text: lines.join('\n'),
    tone: a.totalOverage > 0 || copilotOver ? 'overage' : 'info',
    sections,
  };
}
