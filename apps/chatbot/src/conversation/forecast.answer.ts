/**
 * "When will prod run out?": the core's 7-day burn rate projected to the period end; for a DUAL tenant the same
 * forecast in Copilot Credits beside it, each currency with its own run-out day.
 */
import type { CopilotForecast } from '@allot/contracts';
import type { AnswerContext } from './answer.context';
import type { Fact, Reply, ReplySection } from './conversation.types';
import type { EnvironmentRef } from './environment.matcher';
import { environmentName, formatCredits, formatDay, formatLocalDate } from './reply-format';
import { AI_BUILDER_LABEL, COPILOT_LABEL, NO_LIMIT, copilotAmount, copilotCredits, wireMillis, copilotProgress, creditsIn } from './copilot-format';

const copilotRunsOut = (c: CopilotForecast): boolean => !c.unlimited && c.runsOutBeforePeriodEnd && c.projectedExhaustionDate !== '';
/** Nothing may be drawn in Copilot Credits (and there is no pay-as-you-go without a limit). */
const copilotNone = (c: CopilotForecast): boolean => !c.unlimited && (wireMillis(c.available) ?? 0) <= 0;

/** The Copilot Credit forecast in one sentence, after the AI Builder one. */
function copilotSentence(c: CopilotForecast, resets: string | undefined): string {
  const rate = `${copilotAmount(c.burnRatePerDay)} Copilot Credits a day`;
  if (c.unlimited) return `In Copilot Credits (${NO_LIMIT}): about ${rate}, about ${copilotCredits(c.projectedConsumed)} by the period end.`;
  if (copilotNone(c)) return `It has no Copilot Credits available${(wireMillis(c.consumed) ?? 0) > 0 ? ` and has used ${copilotCredits(c.consumed)}` : ''}.`;
  if (copilotRunsOut(c)) return `At about ${rate}, its Copilot Credits will run out on ${formatLocalDate(c.projectedExhaustionDate)}${resets ? `, before the reset on ${resets}` : ''}.`;
  if ((wireMillis(c.burnRatePerDay) ?? 0) === 0) return `It used no Copilot Credits in the last 7 days, so its ${copilotCredits(c.available)} should last.`;
  return `At about ${rate}, it should use about ${copilotAmount(c.projectedConsumed)} of its ${copilotCredits(c.available)}: enough.`;
}

function copilotSection(c: CopilotForecast): ReplySection {
  const facts: Fact[] = [
    { label: 'Burn rate (7 days)', value: `${copilotAmount(c.burnRatePerDay)} Copilot Credits a day` },
    { label: 'Consumed so far', value: copilotCredits(c.consumed) },
    { label: 'Projected by period end', value: copilotCredits(c.projectedConsumed) },
    { label: 'Available', value: c.unlimited ? NO_LIMIT : copilotCredits(c.available) },
    { label: 'Runs out', value: c.unlimited ? 'never (no limit)' : copilotRunsOut(c) ? formatLocalDate(c.projectedExhaustionDate) : 'not this month' },
  ];
  const progress = copilotProgress(c);
  return { heading: COPILOT_LABEL, facts, ...(progress ? { copilotProgress: progress } : {}) };
}

export async function forecast(a: AnswerContext, env: EnvironmentRef | undefined): Promise<Reply> {
  const f = await a.core.reporting.getForecast({ tenantId: a.tenant.tenantId, environmentId: env?.environmentId ?? '' });
  const who = env ? environmentName(env.environmentId, env.displayName) : a.tenant.name;
  const resets = f.periodEndsAt ? formatDay(f.periodEndsAt, a.tenant.timeZone) : undefined;
  const runsOut = f.runsOutBeforePeriodEnd && f.projectedExhaustionDate !== '';
  const dual = f.copilot !== undefined;
  const credits = creditsIn(dual);
  const rate = `${formatCredits(f.burnRatePerDay)} ${dual ? 'AI Builder credits' : 'credits'} a day`;
  let headline: string;
  if (f.available <= 0 && f.consumed > 0) {
    headline = `${who} has no ${dual ? 'AI Builder credits' : 'credits'} available this month and has already used ${credits(f.consumed)}.`;
  } else if (runsOut) {
    headline = `At about ${rate}, ${who} will run out${dual ? ' of AI Builder credits' : ''} on ${formatLocalDate(f.projectedExhaustionDate)}${resets ? `, before the reset on ${resets}` : ''}.`;
  } else if (f.burnRatePerDay === 0) {
    headline = `${who} used no ${dual ? 'AI Builder credits' : 'credits'} in the last 7 days, so its ${credits(f.available)} should last${resets ? ` until the reset on ${resets}` : ' the month'}.`;
  } else {
    headline =
      `At about ${rate}, ${who} should use about ${credits(f.projectedConsumed)} of its ${credits(f.available)} ` +
      `this month: enough${resets ? ` until the reset on ${resets}` : ''}.`;
  }
  const facts: Fact[] = [
    { label: 'Burn rate (7 days)', value: `${rate}` },
    { label: 'Consumed so far', value: credits(f.consumed) },
    { label: 'Projected by period end', value: credits(f.projectedConsumed) },
    { label: 'Available', value: credits(f.available) },
    { label: 'Runs out', value: runsOut ? formatLocalDate(f.projectedExhaustionDate) : 'not this month' },
  ];
  if (resets) facts.push({ label: 'Resets', value: resets });
  const short = runsOut || (f.available <= 0 && f.consumed > 0);
  // DUAL: running out of AI Builder credits is a worry only when Copilot Credits cannot take over.
  const worry = f.copilot ? copilotRunsOut(f.copilot) || (short && copilotNone(f.copilot)) : short;
  return {
    title: `Forecast for ${who}`,
    text: f.copilot ? `${headline} ${copilotSentence(f.copilot, resets)}` : headline,
    tone: worry ? 'warning' : 'good',
    sections: [
      { ...(dual ? { heading: AI_BUILDER_LABEL } : {}), facts, progress: { used: f.consumed, available: f.available } },
      ...(f.copilot ? [copilotSection(f.copilot)] : []),
    ],
  };
}
