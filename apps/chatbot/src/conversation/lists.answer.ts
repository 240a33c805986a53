/** Environments by condition (over, near the limit, blocked, unused allocations) and the tenant's capacity. */
import { Stage } from '@allot/contracts';
import type { EnvironmentBalance } from '@allot/contracts';
import type { AnswerContext } from './answer.context';
import type { Reply } from './conversation.types';
import type { ListCondition } from '../understanding/understand';
import { credits, environmentName, formatPeriod, stageLabel, stageTone, usagePercent, worstTone } from './reply-format';

const CONDITION: Record<ListCondition, { test: (e: EnvironmentBalance) => boolean; words: string; none: string }> = {
  over: { test: (e) => e.consumed > e.available || e.overage > 0, words: 'over their limit', none: 'No environment is over its limit.' },
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
  const line = (e: EnvironmentBalance): string =>
    condition === 'unused'
      ? `${environmentName(e.environmentId, e.displayName)}: ${credits(e.allocation)} allocated, nothing used`
      : `${environmentName(e.environmentId, e.displayName)}: ${stageLabel(e.stage)}, ${credits(e.consumed)} of ${credits(e.available)} (${pct(e)})${e.overage > 0 ? `, ${credits(e.overage)} over` : ''}`;
  const idle = condition === 'unused' ? ` ${credits(hit.reduce((s, e) => s + e.allocation, 0))} allocated and idle.` : '';
  return {
    title,
    text: `${hit.length === 1 ? '1 environment is' : `${hit.length} environments are`} ${c.words}: ${hit.map((e) => environmentName(e.environmentId, e.displayName)).join(', ')}.${idle}\n${hit.map(line).join('\n')}`,
    tone: condition === 'unused' ? 'info' : worstTone(hit.map((e) => stageTone(e.stage))),
    sections: hit.map((e) => ({ heading: environmentName(e.environmentId, e.displayName), text: line(e).replace(/^[^:]+: /, ''), progress: { used: e.consumed, available: e.available } })),
  };
}

export async function capacityAnswer(a: AnswerContext, period: string): Promise<Reply> {
  const c = await a.core.admin.getCapacity({ tenantId: a.tenant.tenantId, period });
  const lines = [...c.allocations].sort((x, y) => y.credits - x.credits).map((l) => ({ label: environmentName(l.environmentId, l.displayName), value: credits(l.credits) }));
  const over = c.overAllocated ? ` Allocations exceed capacity by ${credits(c.overAllocatedBy)}: an admin should lower them.` : '';
  return {
    title: `Capacity of ${a.tenant.name}, ${formatPeriod(c.period)}`,
    text: `${a.tenant.name} has ${credits(c.capacity)} of capacity in ${formatPeriod(c.period)}: ${credits(c.allocated)} allocated, ${credits(c.unassigned)} unassigned.${over}`,
    tone: c.overAllocated ? 'warning' : 'info',
    sections: [
      { facts: [{ label: 'Capacity', value: credits(c.capacity) }, { label: 'Allocated', value: credits(c.allocated) }, { label: 'Unassigned', value: credits(c.unassigned) }] },
      ...(lines.length > 0 ? [{ heading: 'Allocations', facts: lines }] : []),
    ],
  };
}
