/** Usage by user (in an environment or the tenant) and consumption by source. */
import { DrawSource, UsageGroupBy } from '@allot/contracts';
import type { Draw, GetUsageReportResponse, UsageRow } from '@allot/contracts';
import { formatMillis } from '@allot/domain';
import type { AnswerContext } from './answer.context';
import type { Fact, Reply, ReplySection } from './conversation.types';
import type { EnvironmentRef } from './environment.matcher';
import { environmentName, formatPeriod } from './reply-format';
import { COPILOT_LABEL, copilotCredits, wireMillis, creditsIn, isPositive } from './copilot-format';

const periodWords = (period: string): string => (period ? formatPeriod(period) : 'this month');

/** "ada" finds ada, ada@acme.test or Ada.Lovelace@…; exact ids first. */
function findUser<T extends { key: string }>(rows: readonly T[], user: string): T | undefined {
  const u = user.toLowerCase();
  return (
    rows.find((r) => r.key.toLowerCase() === u) ??
    rows.find((r) => r.key.toLowerCase().split('@')[0] === u) ??
    rows.find((r) => r.key.toLowerCase().split(/[@._-]/)[0] === u) ??
    rows.find((r) => r.key.toLowerCase().includes(u))
  );
}

export async function userUsage(a: AnswerContext, user: string, env: EnvironmentRef | undefined, period: string): Promise<Reply> {
  const report = await a.core.reporting.getUsageReport({ tenantId: a.tenant.tenantId, period, groupBy: UsageGroupBy.USAGE_GROUP_BY_USER, environmentId: env?.environmentId ?? '', limit: 0 });
  const where = env ? environmentName(env.environmentId, env.displayName) : a.tenant.name;
  const when = period === '' ? 'this month' : `in ${periodWords(report.period)}`;
  const row = findUser(report.rows, user);
  if (row === undefined) {
    return {
      title: `Usage of ${user}`,
      text: `${user} used no credits in ${where} ${when} (I looked for a user named "${user}"; ${report.rows.length} user(s) consumed there).`,
      tone: 'info',
      sections: [],
    };
  }
  const dual = report.totalCopilotCredits !== undefined;
  const amount = creditsIn(dual);
  const share = report.totalCredits > 0 ? ` (${Math.round((row.credits * 100) / report.totalCredits)}% of ${where}'s ${amount(report.totalCredits)})` : '';
  const parts = [row.trialCredits > 0 ? `${amount(row.trialCredits)} from a trial` : '', row.overageCredits > 0 ? `${amount(row.overageCredits)} as overage` : ''].filter(Boolean);
  return {
    title: `Usage of ${row.key}`,
    text:
      `${row.key} used ${amount(row.credits)} in ${where} ${when}${share}${dual ? copilotUsed(row, report, where) : ''}, over ${row.events} event(s)` +
      `${parts.length > 0 ? `; ${parts.join(', ')}` : ''}.`,
    tone: 'info',
    sections: [
      {
        facts: [
          { label: 'User', value: row.key },
          { label: 'Where', value: where },
          { label: 'Period', value: when.replace(/^in /, '') },
          { label: 'Consumed', value: amount(row.credits) },
          ...(dual ? copilotUsageFacts(row) : []),
          { label: 'Events', value: String(row.events) },
          ...(row.trialCredits > 0 ? [{ label: 'From a trial', value: amount(row.trialCredits) }] : []),
          ...(row.overageCredits > 0 ? [{ label: 'Overage', value: amount(row.overageCredits) }] : []),
        ],
      },
    ],
  };
}

/** DUAL: " and 1,234.5 Copilot Credits (40% of Acme's 3,086.3 Copilot Credits)". */
function copilotUsed(row: UsageRow, report: GetUsageReportResponse, where: string): string {
  const total = wireMillis(report.totalCopilotCredits) ?? 0;
  const share = total > 0 ? ` (${Math.round(((wireMillis(row.copilotCredits) ?? 0) * 100) / total)}% of ${where}'s ${copilotCredits(report.totalCopilotCredits)})` : '';
  return ` and ${copilotCredits(row.copilotCredits)}${share}`;
}

const copilotUsageFacts = (row: UsageRow): Fact[] => [
  { label: COPILOT_LABEL, value: copilotCredits(row.copilotCredits) },
  ...(isPositive(row.copilotOverage) ? [{ label: 'Copilot overage', value: copilotCredits(row.copilotOverage) }] : []),
];

const SOURCE_NAME: Partial<Record<DrawSource, string>> = {
  [DrawSource.DRAW_SOURCE_ALLOCATION]: 'Allocations',
  [DrawSource.DRAW_SOURCE_UNASSIGNED]: 'Unassigned pool',
  [DrawSource.DRAW_SOURCE_TRIAL]: 'Trials',
  [DrawSource.DRAW_SOURCE_OVERAGE]: 'Overage',
  [DrawSource.DRAW_SOURCE_COPILOT_ALLOCATION]: 'Copilot allocations',
  [DrawSource.DRAW_SOURCE_COPILOT_UNASSIGNED]: 'Copilot pool',
  [DrawSource.DRAW_SOURCE_COPILOT_PAYG]: 'Pay-as-you-go',
};

/** DUAL: where the Copilot Credits came from (allocations, the Copilot pool, pay-as-you-go, overage). */
function copilotSources(draws: readonly Draw[], consumedIn: (amount: string) => string): { line: string; section: ReplySection } | undefined {
  const rows = draws.map((d) => ({ d, m: wireMillis(d.amount) ?? 0 })).filter((x) => x.m > 0).sort((x, y) => y.m - x.m);
  if (rows.length === 0) return undefined;
  const total = rows.reduce((s, x) => s + x.m, 0);
  const amount = (x: (typeof rows)[number]): string => `${copilotCredits(x.d.amount)} (${Math.round((x.m * 100) / total)}%)`;
  return {
    line: `${consumedIn(copilotCredits(formatMillis(total)))}: ${rows.map((x) => `${SOURCE_NAME[x.d.source] ?? 'Other'} ${amount(x)}`).join(', ')}.`,
    section: { heading: `Top sources of ${COPILOT_LABEL}`, facts: rows.map((x, i) => ({ label: `${i + 1}. ${SOURCE_NAME[x.d.source] ?? 'Other'}`, value: amount(x) })) },
  };
}

/** Where the credits came from: allocations, the pool, trials, overage. */
export async function consumptionBySource(a: AnswerContext, env: EnvironmentRef | undefined, period: string): Promise<Reply> {
  const b = await a.core.reporting.getBalance({ tenantId: a.tenant.tenantId, environmentId: env?.environmentId ?? '', userId: '', period });
  const where = env ? environmentName(env.environmentId, env.displayName) : a.tenant.name;
  const consumedIn = (amount: string): string => `${where} consumed ${amount} in ${formatPeriod(b.period)}`;
  const copilot = b.copilot ? copilotSources(b.copilot.consumedBySource, consumedIn) : undefined;
  const credits = creditsIn(b.copilot !== undefined);
  const rows = [...b.consumedBySource].filter((d) => d.credits > 0).sort((x, y) => y.credits - x.credits);
  const total = rows.reduce((s, d) => s + d.credits, 0);
  const amount = (d: (typeof rows)[number]): string => `${credits(d.credits)}${total > 0 ? ` (${Math.round((d.credits * 100) / total)}%)` : ''}`;
  const line = (d: (typeof rows)[number]): string => `${SOURCE_NAME[d.source] ?? 'Other'} ${amount(d)}`;
  const sections: ReplySection[] = rows.length === 0 ? [] : [{ heading: 'Top sources', facts: rows.map((d, i) => ({ label: `${i + 1}. ${SOURCE_NAME[d.source] ?? 'Other'}`, value: amount(d) })) }];
  if (copilot) sections.push(copilot.section);
  const abText = rows.length === 0 ? '' : `${consumedIn(credits(total))}: ${rows.map(line).join(', ')}.`;
  const text = [abText, copilot?.line ?? ''].filter((t) => t !== '').join('\n');
  return {
    title: `Consumption by source in ${where}, ${formatPeriod(b.period)}`,
    text: text === '' ? `${where} consumed nothing in ${formatPeriod(b.period)}.` : text,
    tone: 'info',
    sections,
  };
}
