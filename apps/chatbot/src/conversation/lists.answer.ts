/** Environments by condition: over, near the limit, blocked, unused allocations (both currencies for DUAL tenants). */
import { Stage } from '@allot/contracts';
import type { EnvironmentBalance } from '@allot/contracts';
import type { AnswerContext } from './answer.context';
import type { Reply } from './conversation.types';
import type { ListCondition } from '../understanding/understand';
import { environmentName, formatPeriod, stageLabel, stageTone, usagePercent, worstTone } from './reply-format';
import { COPILOT_LABEL, copilotCredits, copilotLeftShort, copilotProgress, creditsIn, isPositive } from './copilot-format';

const CONDITION: Record<ListCondition, { test: (e: EnvironmentBalance) => boolean; words: string; none: string }> = {
  over: { test: (e) => e.consumed > e.available || e.overage > 0 || isPositive(e.copilot?.overage), words: 'over their limit', none: 'No environment is over its limit.' },
  near: { test: (e) => e.stage === Stage.STAGE_WARNING, words: 'near their limit (Warning)', none: 'No environment is near its limit.' },
  blocked: { test: (e) => e.stage === Stage.STAGE_BLOCKED, words: 'blocked', none: 'No environment is blocked.' },
  unused: { test: (e) => e.allocation > 0 && e.consumed === 0, words: 'holding an allocation they have not used', none: 'Every allocation has been used this period.' },
};

const pct = (e: EnvironmentBalance): string => {
  const p = usagePercent(e.consumed, e.available);
  return p === null ? 'no credits available' : `${p}%`;
};

export async function listByCondition(a: AnswerContext, condition: ListCondition, period: string): Promise<Reply> {
  const r = await a.core.reporting.listEnvironmentBalances({ tenantId: a.tenant.tenantId, period });
  const c = CONDITION[condition];
  const hit = r.environments.filter(c.test).sort((x, y) => y.consumed / Math.max(1, y.available) - x.consumed / Math.max(1, x.available));
  const when = formatPeriod(r.period);
  const title = `Environments ${c.words}, ${when}`;
  if (hit.length === 0) return { title, text: `${c.none} (${r.environments.length} environment(s) in ${a.tenant.name}, ${when}.)`, tone: 'good', sections: [] };
  const credits = creditsIn(hit.some((e) => e.copilot !== undefined));
  /** DUAL: " · Copilot Credits 8,450.5 of 25,000 left (…)", and what no Copilot source covered. */
  const copilotPart = (e: EnvironmentBalance): string =>
    e.copilot === undefined ? '' : ` · ${COPILOT_LABEL} ${copilotLeftShort(e.copilot)}${isPositive(e.copilot.overage) ? `, ${copilotCredits(e.copilot.overage)} over` : ''}`;
  const line = (e: EnvironmentBalance): string =>
    condition === 'unused'
      ? `${environmentName(e.environmentId, e.displayName)}: ${credits(e.allocation)} allocated, nothing used`
      : `${environmentName(e.environmentId, e.displayName)}: ${stageLabel(e.stage)}, ${credits(e.consumed)} of ${credits(e.available)} (${pct(e)})${e.overage > 0 ? `, ${credits(e.overage)} over` : ''}${copilotPart(e)}`;
  const idle = condition === 'unused' ? ` ${credits(hit.reduce((s, e) => s + e.allocation, 0))} allocated and idle.` : '';
  return {
    title,
    text: `${hit.length === 1 ? '1 environment is' : `${hit.length} environments are`} ${c.words}: ${hit.map((e) => environmentName(e.environmentId, e.displayName)).join(', ')}.${idle}\n${hit.map(line).join('\n')}`,
    tone: condition === 'unused' ? 'info' : worstTone(hit.map((e) => stageTone(e.stage))),
    sections: hit.map((e) => {
      const copilot = e.copilot && condition !== 'unused' ? copilotProgress(e.copilot) : undefined;
      return {
        heading: environmentName(e.environmentId, e.displayName),
        text: line(e).replace(/^[^:]+: /, ''),
        progress: { used: e.consumed, available: e.available },
        ...(copilot ? { copilotProgress: copilot } : {}),
      };
    }),
  };
}
