/** "What's our capacity?": capacity, allocations and the unassigned pool; the Copilot Credit side for DUAL tenants. */
import type { AllocationLine, CopilotCapacity } from '@allot/contracts';
import type { AnswerContext } from './answer.context';
import type { Fact, Reply, ReplySection } from './conversation.types';
import { environmentName, formatPeriod } from './reply-format';
import { AI_BUILDER_LABEL, COPILOT_LABEL, copilotCredits, creditsIn } from './copilot-format';

/** Whole Copilot Credits (capacity and allocations are whole): "50,000 Copilot Credits". */
const wholeCopilot = (n: number): string => copilotCredits(String(n));

/** " It also has 50,000 Copilot Credits: 20,000 allocated, 30,000 unassigned, and pay-as-you-go." */
function copilotSentence(c: CopilotCapacity): string {
  const over = c.overAllocated ? ` Copilot allocations exceed the Copilot capacity by ${wholeCopilot(c.overAllocatedBy)}: an admin should lower them.` : '';
  return ` It also has ${wholeCopilot(c.capacity)}: ${wholeCopilot(c.allocated)} allocated, ${wholeCopilot(c.unassigned)} unassigned${c.paygActive ? ', and pay-as-you-go' : ''}.${over}`;
}

function copilotSection(c: CopilotCapacity): ReplySection {
  const facts: Fact[] = [
    { label: 'Capacity', value: wholeCopilot(c.capacity) },
    { label: 'Allocated', value: wholeCopilot(c.allocated) },
    { label: 'Unassigned', value: wholeCopilot(c.unassigned) },
    { label: 'Pay-as-you-go', value: c.paygActive ? 'active' : 'not set up' },
  ];
  if (c.overAllocated) facts.push({ label: 'Over-allocated by', value: wholeCopilot(c.overAllocatedBy) });
  return { heading: COPILOT_LABEL, facts };
}

/** An environment's allocation: "600,000 credits", DUAL "600,000 AI Builder credits · 20,000 Copilot Credits". */
const allocationValue = (l: AllocationLine, dual: boolean): string =>
  [l.credits > 0 || !l.copilotCredits ? creditsIn(dual)(l.credits) : '', l.copilotCredits ? wholeCopilot(l.copilotCredits) : ''].filter((x) => x !== '').join(' · ');

export async function capacityAnswer(a: AnswerContext, period: string): Promise<Reply> {
  const c = await a.core.admin.getCapacity({ tenantId: a.tenant.tenantId, period });
  const dual = c.copilot !== undefined;
  const credits = creditsIn(dual);
  const lines = [...c.allocations]
    .sort((x, y) => y.credits - x.credits || (y.copilotCredits ?? 0) - (x.copilotCredits ?? 0))
    .map((l) => ({ label: environmentName(l.environmentId, l.displayName), value: allocationValue(l, dual) }));
  const over = c.overAllocated ? ` Allocations exceed capacity by ${credits(c.overAllocatedBy)}: an admin should lower them.` : '';
  const totals: ReplySection = {
    ...(dual ? { heading: AI_BUILDER_LABEL } : {}),
    facts: [
      { label: 'Capacity', value: credits(c.capacity) },
      { label: 'Allocated', value: credits(c.allocated) },
      { label: 'Unassigned', value: credits(c.unassigned) },
    ],
  };
  return {
    title: `Capacity of ${a.tenant.name}, ${formatPeriod(c.period)}`,
    text:
      `${a.tenant.name} has ${credits(c.capacity)} of capacity in ${formatPeriod(c.period)}: ${credits(c.allocated)} allocated, ${credits(c.unassigned)} unassigned.${over}` +
      (c.copilot ? copilotSentence(c.copilot) : ''),
    tone: c.overAllocated || c.copilot?.overAllocated ? 'warning' : 'info',
    sections: [totals, ...(c.copilot ? [copilotSection(c.copilot)] : []), ...(lines.length > 0 ? [{ heading: 'Allocations', facts: lines }] : [])],
  };
}
