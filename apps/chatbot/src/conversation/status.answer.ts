/** Stage of every environment (and of the shared pool), worst first in the summary line. */
import { Stage } from '@allot/contracts';
import type { EnvironmentBalance, ListEnvironmentBalancesResponse } from '@allot/contracts';
import type { AnswerContext } from './answer.context';
import type { Reply, ReplySection } from './conversation.types';
import { environmentName, formatDay, formatPeriod, stageLabel, stageTone, usagePercent, worstTone } from './reply-format';
import { COPILOT_LABEL, copilotCredits, copilotLeftShort, copilotProgress, creditsIn, isPositive } from './copilot-format';

/** Slack allows 50 blocks per message; a few sections per environment must stay well below it. */
const MAX_SECTIONS = 15;

export type StageFilter = 'blocked' | 'overage' | 'warning';

const FILTER_STAGE: Record<StageFilter, Stage> = {
  blocked: Stage.STAGE_BLOCKED,
  overage: Stage.STAGE_OVERAGE,
  warning: Stage.STAGE_WARNING,
};

const percentText = (used: number, available: number): string => {
  const p = usagePercent(used, available);
  return p === null ? 'no credits available' : `${p}%`;
};

/** "sales-prod: Warning, 85% (…)", and for a DUAL tenant " · Copilot Credits 8,450.5 of 25,000 left (…)". */
const envLine = (e: EnvironmentBalance): string => {
  const amount = creditsIn(e.copilot !== undefined);
  return (
    `${environmentName(e.environmentId, e.displayName)}: ${stageLabel(e.stage)}, ${percentText(e.consumed, e.available)} ` +
    `(${amount(e.consumed)} of ${amount(e.available)}${e.sharesPool ? ', shared pool' : ''})` +
    (e.copilot ? ` · ${COPILOT_LABEL} ${copilotLeftShort(e.copilot)}` : '')
  );
};

function envSection(e: EnvironmentBalance): ReplySection {
  const amount = creditsIn(e.copilot !== undefined);
  const copilot = e.copilot ? copilotProgress(e.copilot) : undefined;
  return {
    heading: environmentName(e.environmentId, e.displayName),
    facts: [
      { label: 'Stage', value: stageLabel(e.stage) },
      { label: 'Consumed', value: amount(e.consumed) },
      { label: e.sharesPool ? 'Available (shared pool)' : 'Allocation', value: amount(e.available) },
      { label: 'Remaining', value: amount(e.remaining) },
      ...(e.overage > 0 ? [{ label: 'Overage', value: amount(e.overage) }] : []),
      ...(e.copilot ? [{ label: COPILOT_LABEL, value: copilotLeftShort(e.copilot) }] : []),
      ...(e.copilot && isPositive(e.copilot.overage) ? [{ label: 'Copilot overage', value: copilotCredits(e.copilot.overage) }] : []),
    ],
    progress: { used: e.consumed, available: e.available },
    ...(copilot ? { copilotProgress: copilot } : {}),
  };
}

/** Answers "status", "stages", "which environments are blocked". */
export async function environmentStages(a: AnswerContext, only?: StageFilter, period = ''): Promise<Reply> {
  const r = await a.core.reporting.listEnvironmentBalances({ tenantId: a.tenant.tenantId, period });
  return stagesReply(a, r, only, period !== '');
}

export function stagesReply(a: AnswerContext, r: ListEnvironmentBalancesResponse, only?: StageFilter, past = false): Reply {
  const envs = [...r.environments].sort((x, y) => y.stage - x.stage || x.environmentId.localeCompare(y.environmentId));
  const resets = r.periodEndsAt && !past ? formatDay(r.periodEndsAt, a.tenant.timeZone) : undefined;
  const title = `Stages of ${a.tenant.name}'s environments`;
  if (envs.length === 0) {
    return { title, text: `${a.tenant.name} has no environments yet.`, tone: 'info', sections: [] };
  }
  const names = (stage: Stage): string[] => envs.filter((e) => e.stage === stage).map((e) => environmentName(e.environmentId, e.displayName));
  let headline: string;
  if (only) {
    const hit = names(FILTER_STAGE[only]);
    headline =
      hit.length === 0
        ? `No environment is in ${only} right now.`
        : `${hit.length === 1 ? '1 environment is' : `${hit.length} environments are`} ${only === 'blocked' ? 'blocked' : `in ${only}`}: ${hit.join(', ')}.`;
  } else {
    const troubled = [Stage.STAGE_BLOCKED, Stage.STAGE_OVERAGE, Stage.STAGE_WARNING]
      .map((s) => ({ s, n: names(s) }))
      .filter((x) => x.n.length > 0)
      .map((x) => `${stageLabel(x.s)}: ${x.n.join(', ')}`);
    headline =
      troubled.length === 0
        ? `All ${envs.length} environments of ${a.tenant.name} are Normal.`
        : `${troubled.join('. ')}. ${names(Stage.STAGE_NORMAL).length} of ${envs.length} environments are Normal.`;
  }
  const sharesPool = envs.some((e) => e.sharesPool);
  // The shared pool is of AI Builder credits; named so when Copilot Credits are shown beside it.
  const poolAmount = creditsIn(envs.some((e) => e.copilot !== undefined));
  const poolLine = sharesPool
    ? `Shared pool: ${stageLabel(r.poolStage)}, ${percentText(r.poolConsumed, r.poolAvailable)} (${poolAmount(r.poolConsumed)} of ${poolAmount(r.poolAvailable)})`
    : undefined;
  // "Which are blocked?" lists only those; "status" lists all.
  const shown = only ? envs.filter((e) => e.stage === FILTER_STAGE[only]) : envs;
  const lines = [headline, ...shown.map((e) => `• ${envLine(e)}`)];
  if (poolLine && !only) lines.push(`• ${poolLine}`);
  lines.push(`${formatPeriod(r.period)}${resets ? `, resets ${resets}` : past ? ' (closed)' : ''}.`);
  const sections: ReplySection[] = shown.slice(0, MAX_SECTIONS).map(envSection);
  if (shown.length > MAX_SECTIONS) sections.push({ text: `…and ${shown.length - MAX_SECTIONS} more environments.` });
  if (sharesPool && !only) {
    sections.push({
      heading: 'Shared pool (environments without an allocation)',
      facts: [
        { label: 'Stage', value: stageLabel(r.poolStage) },
        { label: 'Consumed', value: poolAmount(r.poolConsumed) },
        { label: 'Available', value: poolAmount(r.poolAvailable) },
      ],
      progress: { used: r.poolConsumed, available: r.poolAvailable },
    });
  }
  sections.push({ text: `${formatPeriod(r.period)}${resets ? ` · resets ${resets}` : past ? ' (closed)' : ''}` });
  return {
    title,
    text: lines.join('\n'),
    tone: worstTone([...envs.map((e) => stageTone(e.stage)), ...(sharesPool ? [stageTone(r.poolStage)] : [])]),
    sections,
  };
}
