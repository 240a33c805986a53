/** Balance of the whole tenant or of one environment: numbers, stage, progress bar and reset date. */
import { Stage } from '@allot/contracts';
import type { EnvironmentBalance, GetBalanceResponse } from '@allot/contracts';
import type { AnswerContext } from './answer.context';
import type { Fact, Reply, ReplySection } from './conversation.types';
import type { EnvironmentRef } from './environment.matcher';
import { credits, environmentName, formatCredits, formatDay, formatPeriod, progressBar, stageLabel, stageMeaning, stageTone, usagePercent } from './reply-format';

/** The reset day of the current period; a closed month has none ahead of it. */
const resetsOn = (b: { periodEndsAt?: Date | undefined }, timeZone: string, past = false): string | undefined =>
  b.periodEndsAt && !past ? formatDay(b.periodEndsAt, timeZone) : undefined;

const monthWords = (period: string, past: boolean): string => `${formatPeriod(period)}${past ? ' (closed)' : ''}`;

/** "395,000 of 1,000,000 credits left (605,000 used, 60%)". */
export function leftSentence(remaining: number, available: number, consumed: number): string {
  const percent = usagePercent(consumed, available);
  const used = `${formatCredits(consumed)} used${percent === null ? '' : `, ${percent}%`}`;
  return `${formatCredits(remaining)} of ${credits(available)} left (${used})`;
}

function balanceFacts(b: GetBalanceResponse, resets: string | undefined, scope: 'tenant' | 'environment'): Fact[] {
  const facts: Fact[] = [
    { label: 'Remaining', value: credits(b.remaining) },
    { label: 'Consumed', value: credits(b.consumed) },
    { label: 'Available', value: credits(b.available) },
  ];
  if (scope === 'tenant') {
    facts.push({ label: 'Capacity', value: credits(b.capacity) });
    facts.push({ label: 'Allocated', value: credits(b.allocated) });
    facts.push({ label: 'Unassigned', value: credits(b.unassigned) });
  }
  if (b.overage > 0) facts.push({ label: 'Overage', value: credits(b.overage) });
  facts.push(
    scope === 'tenant'
      ? { label: 'Worst stage', value: stageLabel(b.stage) }
      : { label: 'Stage', value: `${stageLabel(b.stage)} (${stageMeaning(b.stage)})` },
  );
  if (resets) facts.push({ label: 'Resets', value: resets });
  return facts;
}

/** The whole tenant's balance this period. */
export async function tenantBalance(a: AnswerContext, period = ''): Promise<Reply> {
  const [b, envs] = await Promise.all([
    a.core.reporting.getBalance({ tenantId: a.tenant.tenantId, environmentId: '', userId: '', period }),
    // Only to name the environments behind the tenant's stage; the balance stands without it.
    a.core.reporting.listEnvironmentBalances({ tenantId: a.tenant.tenantId, period }).catch(() => undefined),
  ]);
  return tenantBalanceReply(a, b, envs?.environments, period !== '');
}

/**
 * A tenant's stage is its worst environment's, so "Stage: Blocked" alone would read as if everything were
 * blocked; the environments that are not Normal are named with it.
 */
function stageSentence(b: GetBalanceResponse, envs: readonly EnvironmentBalance[] | undefined): string {
  const troubled = (envs ?? [])
    .filter((e) => e.stage === Stage.STAGE_WARNING || e.stage === Stage.STAGE_OVERAGE || e.stage === Stage.STAGE_BLOCKED)
    .sort((x, y) => y.stage - x.stage)
    .map((e) => `${environmentName(e.environmentId, e.displayName)} ${stageLabel(e.stage)}`);
  if (troubled.length === 0) return `Stage: ${stageLabel(b.stage)}.`;
  return `Worst stage: ${stageLabel(b.stage)} (${troubled.join(', ')}).`;
}

export function tenantBalanceReply(a: AnswerContext, b: GetBalanceResponse, envs?: readonly EnvironmentBalance[], past = false): Reply {
  const resets = resetsOn(b, a.tenant.timeZone, past);
  const lines = [
    `${a.tenant.name} ${past ? 'had' : 'has'} ${leftSentence(b.remaining, b.available, b.consumed)} in ${monthWords(b.period, past)}.`,
    stageSentence(b, envs) + (b.overage > 0 ? ` ${credits(b.overage)} over the limit.` : ''),
  ];
  if (b.overAllocated) lines.push('Allocations exceed capacity: an admin should lower them.');
  if (resets) lines.push(`Resets ${resets}.`);
  const section: ReplySection = {
    progress: { used: b.consumed, available: b.available },
    facts: balanceFacts(b, resets, 'tenant'),
  };
  return {
    title: `Credits for ${a.tenant.name}`,
    text: `${lines.join(' ')}\n${progressBar(b.consumed, b.available)}`,
    tone: b.overAllocated && b.stage === Stage.STAGE_NORMAL ? 'warning' : stageTone(b.stage),
    sections: [section],
  };
}

/** One environment's balance this period. */
export async function environmentBalance(a: AnswerContext, env: EnvironmentRef, period = ''): Promise<Reply> {
  const b = await a.core.reporting.getBalance({
    tenantId: a.tenant.tenantId,
    environmentId: env.environmentId,
    userId: '',
    period,
  });
  const past = period !== '';
  const name = environmentName(env.environmentId, b.environmentDisplayName || env.displayName);
  const resets = resetsOn(b, a.tenant.timeZone, past);
  const lines = [
    `${name} ${past ? 'had' : 'has'} ${leftSentence(b.remaining, b.available, b.consumed)} in ${monthWords(b.period, past)}.`,
    `Stage: ${stageLabel(b.stage)} (${stageMeaning(b.stage)}).` + (b.overage > 0 ? ` ${credits(b.overage)} over the limit.` : ''),
  ];
  if (b.sharesPool) lines.push(`It has no allocation of its own and shares ${a.tenant.name}'s unassigned pool.`);
  if (resets) lines.push(`Resets ${resets}.`);
  return {
    title: `Credits for ${name}`,
    text: `${lines.join(' ')}\n${progressBar(b.consumed, b.available)}`,
    tone: stageTone(b.stage),
    sections: [
      {
        ...(b.sharesPool ? { text: 'Shares the unassigned pool' } : {}),
        progress: { used: b.consumed, available: b.available },
        facts: balanceFacts(b, resets, 'environment'),
      },
    ],
  };
}
