/** "Why is hr test blocked?": the access decision with its numbers, and the rule of the stage it applied. */
import { DenialReason, Operation } from '@allot/contracts';
import type { CheckAccessResponse } from '@allot/contracts';
import type { AnswerContext } from './answer.context';
import type { Reply } from './conversation.types';
import type { EnvironmentRef } from './environment.matcher';
import { environmentName, formatCredits, stageLabel, stageTone, usagePercent } from './reply-format';
import { COPILOT_LABEL, NO_LIMIT, copilotCredits, copilotLeftSentence, copilotLeftShort, copilotProgress, creditsIn } from './copilot-format';

const REASON: Partial<Record<DenialReason, string>> = {
  [DenialReason.DENIAL_REASON_QUOTA_EXCEEDED]: 'QUOTA_EXCEEDED: the stage refuses this operation',
  [DenialReason.DENIAL_REASON_NO_CAPACITY]: 'NO_CAPACITY: nothing to draw from',
  [DenialReason.DENIAL_REASON_ENTITLEMENT_NOT_AVAILABLE]: 'ENTITLEMENT_NOT_AVAILABLE: no entitlement and no trial',
  [DenialReason.DENIAL_REASON_SOURCE_LIMIT_EXCEEDED]: 'SOURCE_LIMIT_EXCEEDED: the app or flow reached its cap',
};

/** DUAL: " (Copilot Credits left: 8,450.5 Copilot Credits)", from the access answer. */
const copilotLeft = (r: CheckAccessResponse): string =>
  r.copilotUnlimited ? ` (${COPILOT_LABEL}: ${NO_LIMIT})` : r.copilotRemaining !== undefined ? ` (${COPILOT_LABEL} left: ${copilotCredits(r.copilotRemaining)})` : '';

const decision = (op: string, r: CheckAccessResponse | undefined): string =>
  r === undefined ? `${op}: not checked` : `${op} ${r.allowed ? 'allowed' : `refused (${REASON[r.reason] ?? 'refused'})`}: ${r.message}${copilotLeft(r)}`;

/** The stage rule under DUAL (docs/licensing.md): both currencies, no grace, only runs are ever refused. */
const dualRule = (w: number): string =>
  `Rule (Microsoft's rules since November 2025): AI Builder credits are used first, then Copilot Credits. Warning at ${w}% of what the environment ` +
  'can draw in each currency; Blocked when neither currency has anything left (runs are refused; building, testing and training models stay free). No grace stage.';

export async function whyAnswer(a: AnswerContext, env: EnvironmentRef, userId: string): Promise<Reply> {
  const tenantId = a.tenant.tenantId;
  const check = (operation: Operation): Promise<CheckAccessResponse | undefined> =>
    a.core.consumption.checkAccess({ tenantId, environmentId: env.environmentId, userId, operation }).catch(() => undefined);
  const [b, t, run, maker] = await Promise.all([
    a.core.reporting.getBalance({ tenantId, environmentId: env.environmentId, userId: '', period: '' }),
    a.core.admin.getTenant({ tenantId }),
    check(Operation.OPERATION_RUN),
    check(Operation.OPERATION_MAKER),
  ]);
  const th = t.tenant?.thresholds;
  const w = th?.warningPercent || 80;
  const o = th?.overagePercent || 100;
  const k = th?.blockedPercent || 125;
  const name = environmentName(env.environmentId, b.environmentDisplayName || env.displayName);
  const p = usagePercent(b.consumed, b.available);
  const amount = creditsIn(b.copilot !== undefined);
  const ratio =
    (p === null ? `${amount(b.consumed)} used with no ${b.copilot ? 'AI Builder credits' : 'credits'} available` : `${b.copilot ? formatCredits(b.consumed) : amount(b.consumed)} of ${amount(b.available)} used (${p}%)`) +
    (b.copilot ? `; ${copilotLeftSentence(b.copilot)}` : '');
  const scope = b.sharesPool ? `It has no allocation of its own and draws from ${a.tenant.name}'s unassigned pool.` : `It draws from its own allocation.`;
  const rule = b.copilot
    ? dualRule(w)
    : `Rule: below ${w}% Normal; ${w}–${o}% Warning (everything runs); above ${o}% Overage (runs and training go on, building and testing models are refused); ` +
      `at ${k}% or more, or with nothing to draw from, Blocked (every AI operation is refused).`;
  const copilot = b.copilot ? copilotProgress(b.copilot) : undefined;
  return {
    title: `Why ${name} is ${stageLabel(b.stage)}`,
    text: `${name} is ${stageLabel(b.stage)}: ${ratio}. ${scope}\n${rule}\nAccess now for ${userId}: ${decision('RUN', run)}; ${decision('MAKER', maker)}.`,
    tone: stageTone(b.stage),
    sections: [
      { heading: 'Rule', text: rule.replace(/^Rule[^:]*: /, '') },
      { heading: `Access now for ${userId}`, text: `${decision('RUN', run)}\n${decision('MAKER', maker)}` },
      {
        progress: { used: b.consumed, available: b.available },
        ...(copilot ? { copilotProgress: copilot } : {}),
        facts: [
          { label: 'Stage', value: stageLabel(b.stage) },
          { label: 'Consumed', value: amount(b.consumed) },
          { label: 'Available', value: amount(b.available) },
          ...(b.copilot ? [{ label: COPILOT_LABEL, value: copilotLeftShort(b.copilot) }] : []),
          { label: 'Thresholds', value: b.copilot ? `warning ${w}% (no grace)` : `warning ${w}%, overage ${o}%, blocked ${k}%` },
        ],
      },
    ],
  };
}
