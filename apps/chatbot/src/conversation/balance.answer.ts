/** Balance of the whole tenant or of one environment: numbers, stage, progress bar and reset date. */
import { Stage } from '@allot/contracts';
import type { EnvironmentBalance, GetBalanceResponse } from '@allot/contracts';
import type { AnswerContext } from './answer.context';
import type { Fact, Reply, ReplySection } from './conversation.types';
import type { EnvironmentRef } from './environment.matcher';
import { environmentName, formatCredits, formatDay, formatPeriod, stageLabel, stageMeaning, stageTone, usagePercent } from './reply-format';
import { AI_BUILDER_LABEL, COPILOT_LABEL, barsText, copilotBalanceFacts, copilotCredits, copilotLeftSentence, copilotProgress, creditsIn, isPositive } from './copilot-format';

/** The reset day of the current period; a closed month has none ahead of it. */
const resetsOn = (b: { periodEndsAt?: Date | undefined }, timeZone: string, past = false): string | undefined =>
  b.periodEndsAt && !past ? formatDay(b.periodEndsAt, timeZone) : undefined;

const monthWords = (period: string, past: boolean): string => `${formatPeriod(period)}${past ? ' (closed)' : ''}`;

/**
 * "395,000 of 1,000,000 credits left (605,000 used, 60%)"; with `dual`, the AI Builder credits named as such
 * ("… AI Builder credits left …").
 */
export function leftSentence(remaining: number, available: number, consumed: number, dual = false): string {
  const percent = usagePercent(consumed, available);
  const used = `${formatCredits(consumed)} used${percent === null ? '' : `, ${percent}%`}`;
  return `${formatCredits(remaining)} of ${creditsIn(dual)(available)} left (${used})`;
}

/** What a balance has left, in both currencies when the tenant is DUAL (`copilot` set): "… and 8,450.5 of …". */
const bothLeft = (b: GetBalanceResponse): string =>
  leftSentence(b.remaining, b.available, b.consumed, b.copilot !== undefined) + (b.copilot ? ` and ${copilotLeftSentence(b.copilot)}` : '');

/** "2,000 credits over the limit." (and the Copilot Credits no source covered; never billed). */
function overSentence(b: GetBalanceResponse): string {
  const parts = [b.overage > 0 ? creditsIn(b.copilot !== undefined)(b.overage) : '', b.copilot && isPositive(b.copilot.overage) ? copilotCredits(b.copilot.overage) : ''];
  const over = parts.filter((p) => p !== '');
  return over.length === 0 ? '' : ` ${over.join(' and ')} over the limit.`;
}

/** The amounts of a balance ("AI Builder credits" when Copilot Credits are shown beside them). */
function amountFacts(b: GetBalanceResponse, scope: 'tenant' | 'environment'): Fact[] {
  const amount = creditsIn(b.copilot !== undefined);
  const facts: Fact[] = [
    { label: 'Remaining', value: amount(b.remaining) },
    { label: 'Consumed', value: amount(b.consumed) },
    { label: 'Available', value: amount(b.available) },
  ];
  if (scope === 'tenant') {
    facts.push({ label: 'Capacity', value: amount(b.capacity) });
    facts.push({ label: 'Allocated', value: amount(b.allocated) });
    facts.push({ label: 'Unassigned', value: amount(b.unassigned) });
  }
  if (b.overage > 0) facts.push({ label: 'Overage', value: amount(b.overage) });
  return facts;
}

function stageFacts(b: GetBalanceResponse, resets: string | undefined, scope: 'tenant' | 'environment'): Fact[] {
  const facts: Fact[] = [
    scope === 'tenant'
      ? { label: 'Worst stage', value: stageLabel(b.stage) }
      : { label: 'Stage', value: `${stageLabel(b.stage)} (${stageMeaning(b.stage, b.copilot !== undefined)})` },
  ];
  if (resets) facts.push({ label: 'Resets', value: resets });
  return facts;
}

/**
 * The sections of a balance: its bar and figures (CLASSIC, as ever); for a DUAL tenant the two bars side by side
 * with the stage, then the AI Builder credits and the Copilot Credits each in a section of their own.
 */
function balanceSections(b: GetBalanceResponse, resets: string | undefined, scope: 'tenant' | 'environment'): ReplySection[] {
  const head = {
    ...(scope === 'environment' && b.sharesPool ? { text: 'Shares the unassigned pool' } : {}),
    progress: { used: b.consumed, available: b.available },
  };
  if (b.copilot === undefined) return [{ ...head, facts: [...amountFacts(b, scope), ...stageFacts(b, resets, scope)] }];
  const copilot = copilotProgress(b.copilot);
  return [
    { ...head, ...(copilot ? { copilotProgress: copilot } : {}), facts: stageFacts(b, resets, scope) },
    { heading: AI_BUILDER_LABEL, facts: amountFacts(b, scope) },
    { heading: COPILOT_LABEL, facts: copilotBalanceFacts(b.copilot) },
  ];
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
    `${a.tenant.name} ${past ? 'had' : 'has'} ${bothLeft(b)} in ${monthWords(b.period, past)}.`,
    stageSentence(b, envs) + overSentence(b),
  ];
  if (b.overAllocated) lines.push('Allocations exceed capacity: an admin should lower them.');
  if (resets) lines.push(`Resets ${resets}.`);
  const sections = balanceSections(b, resets, 'tenant');
  return {
    title: `Credits for ${a.tenant.name}`,
    text: `${lines.join(' ')}\n${barsText(sections[0] ?? {})}`,
    tone: b.overAllocated && b.stage === Stage.STAGE_NORMAL ? 'warning' : stageTone(b.stage),
    sections,
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
    `${name} ${past ? 'had' : 'has'} ${bothLeft(b)} in ${monthWords(b.period, past)}.`,
    `Stage: ${stageLabel(b.stage)} (${stageMeaning(b.stage, b.copilot !== undefined)}).` + overSentence(b),
  ];
  if (b.sharesPool) lines.push(`It has no allocation of its own and shares ${a.tenant.name}'s unassigned pool.`);
  if (resets) lines.push(`Resets ${resets}.`);
  const sections = balanceSections(b, resets, 'environment');
  return {
    title: `Credits for ${name}`,
    text: `${lines.join(' ')}\n${barsText(sections[0] ?? {})}`,
    tone: stageTone(b.stage),
    sections,
  };
}
