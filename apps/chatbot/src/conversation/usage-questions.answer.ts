/** Usage by user (in an environment or the tenant) and consumption by source. */
import { DrawSource, UsageGroupBy } from '@allot/contracts';
import type { AnswerContext } from './answer.context';
import type { Reply } from './conversation.types';
import type { EnvironmentRef } from './environment.matcher';
import { credits, environmentName, formatPeriod } from './reply-format';

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
  const share = report.totalCredits > 0 ? ` (${Math.round((row.credits * 100) / report.totalCredits)}% of ${where}'s ${credits(report.totalCredits)})` : '';
  const parts = [row.trialCredits > 0 ? `${credits(row.trialCredits)} from a trial` : '', row.overageCredits > 0 ? `${credits(row.overageCredits)} as overage` : ''].filter(Boolean);
  return {
    title: `Usage of ${row.key}`,
    text: `${row.key} used ${credits(row.credits)} in ${where} ${when}${share}, over ${row.events} event(s)${parts.length > 0 ? `; ${parts.join(', ')}` : ''}.`,
    tone: 'info',
    sections: [
      {
        facts: [
          { label: 'User', value: row.key },
          { label: 'Where', value: where },
          { label: 'Period', value: when.replace(/^in /, '') },
          { label: 'Consumed', value: credits(row.credits) },
          { label: 'Events', value: String(row.events) },
          ...(row.trialCredits > 0 ? [{ label: 'From a trial', value: credits(row.trialCredits) }] : []),
          ...(row.overageCredits > 0 ? [{ label: 'Overage', value: credits(row.overageCredits) }] : []),
        ],
      },
    ],
  };
}

const SOURCE_NAME: Partial<Record<DrawSource, string>> = {
  [DrawSource.DRAW_SOURCE_ALLOCATION]: 'Allocations',
  [DrawSource.DRAW_SOURCE_UNASSIGNED]: 'Unassigned pool',
  [DrawSource.DRAW_SOURCE_TRIAL]: 'Trials',
  [DrawSource.DRAW_SOURCE_OVERAGE]: 'Overage',
};

/** Where the credits came from: allocations, the pool, trials, overage. */
export async function consumptionBySource(a: AnswerContext, env: EnvironmentRef | undefined, period: string): Promise<Reply> {
  const b = await a.core.reporting.getBalance({ tenantId: a.tenant.tenantId, environmentId: env?.environmentId ?? '', userId: '', period });
  const where = env ? environmentName(env.environmentId, env.displayName) : a.tenant.name;
  const rows = [...b.consumedBySource].filter((d) => d.credits > 0).sort((x, y) => y.credits - x.credits);
  const total = rows.reduce((s, d) => s + d.credits, 0);
  const amount = (d: (typeof rows)[number]): string => `${credits(d.credits)}${total > 0 ? ` (${Math.round((d.credits * 100) / total)}%)` : ''}`;
  const line = (d: (typeof rows)[number]): string => `${SOURCE_NAME[d.source] ?? 'Other'} ${amount(d)}`;
  return {
    title: `Consumption by source in ${where}, ${formatPeriod(b.period)}`,
    text: rows.length === 0 ? `${where} consumed nothing in ${formatPeriod(b.period)}.` : `${where} consumed ${credits(total)} in ${formatPeriod(b.period)}: ${rows.map(line).join(', ')}.`,
    tone: 'info',
    sections: rows.length === 0 ? [] : [{ heading: 'Top sources', facts: rows.map((d, i) => ({ label: `${i + 1}. ${SOURCE_NAME[d.source] ?? 'Other'}`, value: amount(d) })) }],
  };
}
