/** "When will prod run out?": the core's 7-day burn rate projected to the period end. */
import type { AnswerContext } from './answer.context';
import type { Fact, Reply } from './conversation.types';
import type { EnvironmentRef } from './environment.matcher';
import { credits, environmentName, formatCredits, formatDay, formatLocalDate } from './reply-format';

export async function forecast(a: AnswerContext, env: EnvironmentRef | undefined): Promise<Reply> {
  const f = await a.core.reporting.getForecast({ tenantId: a.tenant.tenantId, environmentId: env?.environmentId ?? '' });
  const who = env ? environmentName(env.environmentId, env.displayName) : a.tenant.name;
  const resets = f.periodEndsAt ? formatDay(f.periodEndsAt, a.tenant.timeZone) : undefined;
  const runsOut = f.runsOutBeforePeriodEnd && f.projectedExhaustionDate !== '';
  const rate = `${formatCredits(f.burnRatePerDay)} credits a day`;
  let headline: string;
  if (f.available <= 0 && f.consumed > 0) {
    headline = `${who} has no credits available this month and has already used ${credits(f.consumed)}.`;
  } else if (runsOut) {
    headline = `At about ${rate}, ${who} will run out on ${formatLocalDate(f.projectedExhaustionDate)}${resets ? `, before the reset on ${resets}` : ''}.`;
  } else if (f.burnRatePerDay === 0) {
    headline = `${who} used no credits in the last 7 days, so its ${credits(f.available)} should last${resets ? ` until the reset on ${resets}` : ' the month'}.`;
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
  return {
    title: `Forecast for ${who}`,
    text: headline,
    tone: runsOut || (f.available <= 0 && f.consumed > 0) ? 'warning' : 'good',
    sections: [{ facts, progress: { used: f.consumed, available: f.available } }],
  };
}
