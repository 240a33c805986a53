/** Who and what consumed most this period, from the core's usage report. */
import { UsageGroupBy } from '@allot/contracts';
import type { GetUsageReportResponse, UsageRow } from '@allot/contracts';
import type { AnswerContext } from './answer.context';
import type { Reply, ReplySection } from './conversation.types';
import type { EnvironmentRef } from './environment.matcher';
import { credits, environmentName, formatPeriod } from './reply-format';
import { aiBuilderCredits, copilotCredits, wireMillis, isPositive } from './copilot-format';

/** Rankings the usage report can make. */
export type TopGroup = 'users' | 'environments' | 'capabilities';

const GROUPS: Record<TopGroup, { groupBy: UsageGroupBy; heading: string }> = {
  users: { groupBy: UsageGroupBy.USAGE_GROUP_BY_USER, heading: 'Top users' },
  environments: { groupBy: UsageGroupBy.USAGE_GROUP_BY_ENVIRONMENT, heading: 'Top environments' },
  capabilities: { groupBy: UsageGroupBy.USAGE_GROUP_BY_CAPABILITY, heading: 'Top capabilities' },
};

const share = (part: number, total: number): string => (total > 0 ? ` (${Math.round((part * 100) / total)}%)` : '');

/** Copilot Credits of a row or a total in thousandths (0 when unset: CLASSIC). */
const millis = (amount: string | undefined): number => wireMillis(amount) ?? 0;

/**
 * A report's total: "378,000 credits"; DUAL (the report carries a Copilot total) "378,000 AI Builder credits and
 * 1,234.5 Copilot Credits".
 */
const totalWords = (report: GetUsageReportResponse): string =>
  report.totalCopilotCredits === undefined ? credits(report.totalCredits) : `${aiBuilderCredits(report.totalCredits)} and ${copilotCredits(report.totalCopilotCredits)}`;

/** One row's consumption with its share of the total, in each currency it used (DUAL). */
function rowValue(r: UsageRow, report: GetUsageReportResponse): string {
  if (report.totalCopilotCredits === undefined) return `${credits(r.credits)}${share(r.credits, report.totalCredits)}`;
  const parts: string[] = [];
  if (r.credits > 0 || !isPositive(r.copilotCredits)) parts.push(`${aiBuilderCredits(r.credits)}${share(r.credits, report.totalCredits)}`);
  if (isPositive(r.copilotCredits)) parts.push(`${copilotCredits(r.copilotCredits)}${share(millis(r.copilotCredits), millis(report.totalCopilotCredits))}`);
  return parts.join(' · ');
}

function rankingSection(heading: string, report: GetUsageReportResponse, group: TopGroup, limit: number): { section: ReplySection; line: string } {
  const rows = [...report.rows].sort((x, y) => y.credits - x.credits || millis(y.copilotCredits) - millis(x.copilotCredits)).slice(0, limit);
  if (rows.length === 0 || (report.totalCredits === 0 && !isPositive(report.totalCopilotCredits))) {
    return { section: { heading, text: 'No credits consumed yet.' }, line: `${heading}: none yet.` };
  }
  const name = (key: string, label: string): string => (group === 'environments' ? environmentName(key, label) : label || key);
  const facts = rows.map((r, i) => ({ label: `${i + 1}. ${name(r.key, r.label)}`, value: rowValue(r, report) }));
  return {
    section: { heading, facts, text: `Total: ${totalWords(report).replace(' and ', ' · ')}` },
    line: `${heading}: ${rows.map((r, i) => `${i + 1}. ${name(r.key, r.label)} ${rowValue(r, report)}`).join(', ')}.`,
  };
}

/** Answers "top users", "who used the most credits", "top environments", "what consumed most". */
export async function topConsumers(
  a: AnswerContext,
  groups: readonly TopGroup[],
  env: EnvironmentRef | undefined,
  options: { readonly period?: string; readonly limit?: number } = {},
): Promise<Reply> {
  const limit = options.limit ?? 5;
  // Rankings of one environment by environment would be a single row; users and capabilities still make sense.
  const wanted = env ? groups.filter((g) => g !== 'environments') : groups;
  const effective: readonly TopGroup[] = wanted.length > 0 ? wanted : ['users'];
  const reports = await Promise.all(
    effective.map((g) =>
      a.core.reporting.getUsageReport({
        tenantId: a.tenant.tenantId,
        period: options.period ?? '',
        groupBy: GROUPS[g].groupBy,
        environmentId: env?.environmentId ?? '',
        limit,
      }),
    ),
  );
  const where = env ? environmentName(env.environmentId, env.displayName) : a.tenant.name;
  const period = reports[0]?.period ? formatPeriod(reports[0].period) : 'this month';
  const parts = effective.map((g, i) => rankingSection(GROUPS[g].heading, reports[i] as GetUsageReportResponse, g, limit));
  const total = reports[0] ? totalWords(reports[0]) : credits(0);
  return {
    title: `Top consumers in ${where}, ${period}`,
    text: [`${where} consumed ${total} in ${period}.`, ...parts.map((p) => p.line)].join('\n'),
    tone: 'info',
    sections: parts.map((p) => p.section),
  };
}
