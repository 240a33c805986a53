/** A what-if (or the preview of an action) in words: stages before and after, and what changes stage. */
import { formatCopilotCredits, formatCredits, type CapacitySummary, type Stage } from '@allot/domain';
import type { Fact, Reply, ReplySection, Tone } from '../conversation/conversation.types';
import { environmentName } from '../conversation/reply-format';
import { AI_BUILDER_LABEL, COPILOT_LABEL, NO_LIMIT } from '../conversation/copilot-format';
import type { EnvironmentOutcome, WhatIf } from './what-if.model';

const STAGE_WORD: Record<Stage, string> = { NORMAL: 'Normal', WARNING: 'Warning', OVERAGE: 'Overage', BLOCKED: 'Blocked' };
const TONE: Record<Stage, Tone> = { NORMAL: 'good', WARNING: 'warning', OVERAGE: 'overage', BLOCKED: 'blocked' };

const percent = (e: EnvironmentOutcome): string => (e.available > 0 ? `${Math.floor((e.consumed * 100) / e.available)}%` : 'no credits');

/** DUAL: "7,499.5 of 10,000 Copilot Credits left" (changes when a Copilot setting changes). */
const copilotLeft = (c: NonNullable<EnvironmentOutcome['copilot']>): string =>
  c.remaining === null || c.available === null
    ? `${COPILOT_LABEL}: ${NO_LIMIT}`
    : `${formatCopilotCredits(c.remaining)} of ${formatCopilotCredits(c.available)} ${COPILOT_LABEL} left`;

/** "Warning (85% of 10,000, shared pool)"; for a DUAL tenant both currencies, since the stage depends on both. */
const side = (e: EnvironmentOutcome): string =>
  e.copilot === undefined
    ? `${STAGE_WORD[e.stage]} (${percent(e)} of ${formatCredits(e.available)}${e.allocation > 0 ? '' : ', shared pool'})`
    : `${STAGE_WORD[e.stage]} (${percent(e)} of ${formatCredits(e.available)} ${AI_BUILDER_LABEL}${e.allocation > 0 ? '' : ', shared pool'}; ${copilotLeft(e.copilot)})`;

const unchanged = (b: EnvironmentOutcome, a: EnvironmentOutcome): boolean =>
  b.stage === a.stage && b.available === a.available && b.copilot?.remaining === a.copilot?.remaining && b.copilot?.available === a.copilot?.available;

/** "Unassigned: 50,000 → 30,000" facts of a capacity, only the changed figures with an arrow. */
function capacityFacts(cb: CapacitySummary, ca: CapacitySummary): Fact[] {
  const fact = (label: string, b: number, a: number): Fact => ({ label, value: b === a ? formatCredits(b) : `${formatCredits(b)} → ${formatCredits(a)}` });
  const facts = [fact('Capacity', cb.capacity, ca.capacity), fact('Allocated', cb.allocated, ca.allocated), fact('Unassigned', cb.unassigned, ca.unassigned)];
  if (ca.overAllocated) facts.push({ label: 'Over-allocated by', value: formatCredits(ca.overAllocatedBy) });
  return facts;
}

/** DUAL: the Copilot pool, when the change moves it (a Copilot allocation). */
function copilotCapacitySection(w: WhatIf): ReplySection[] {
  const cb = w.copilotCapacityBefore;
  const ca = w.copilotCapacityAfter;
  if (cb === undefined || ca === undefined || (cb.allocated === ca.allocated && cb.capacity === ca.capacity)) return [];
  return [{ heading: `Capacity (${COPILOT_LABEL})`, facts: capacityFacts(cb, ca) }];
}

/** "hr-test: Blocked → Normal" lines and the before/after facts of every environment. */
export function whatIfSections(w: WhatIf): { sections: ReplySection[]; changeLine: string } {
  const facts: Fact[] = w.after.map((a, i) => {
    const b = w.before[i] as EnvironmentOutcome;
    const name = environmentName(a.environmentId, a.displayName);
    return { label: name, value: unchanged(b, a) ? `${side(b)}, unchanged` : `${side(b)} → ${side(a)}` };
  });
  const changeLine =
    w.stageChanges.length === 0
      ? 'No environment would change stage.'
      : `Would change stage: ${w.stageChanges.map((c) => `${environmentName(c.environmentId, c.displayName)} ${STAGE_WORD[c.from]} → ${STAGE_WORD[c.to]}`).join(', ')}.`;
  return {
    changeLine,
    sections: [
      { heading: 'Stages before → after', text: changeLine, facts },
      // Under DUAL these figures are the AI Builder side only; the Copilot Credits are on each environment's line.
      { heading: w.licensingModel === 'DUAL' ? `Capacity (${AI_BUILDER_LABEL})` : 'Capacity', facts: capacityFacts(w.capacityBefore, w.capacityAfter) },
      ...copilotCapacitySection(w),
    ],
  };
}

/** The worst stage after the change, as a tone. */
export function toneAfter(w: WhatIf): Tone {
  const order: Stage[] = ['NORMAL', 'WARNING', 'OVERAGE', 'BLOCKED'];
  const worst = w.after.reduce<Stage>((acc, e) => (order.indexOf(e.stage) > order.indexOf(acc) ? e.stage : acc), 'NORMAL');
  return w.stageChanges.length === 0 ? 'info' : TONE[worst];
}

/** A what-if answer: "Nothing was changed", then the stages. */
export function whatIfReply(title: string, what: string, w: WhatIf): Reply {
  if (w.refused !== undefined) {
    return { title, text: `${what} would be refused: ${w.refused}. Nothing was changed.`, tone: 'warning', sections: [] };
  }
  const { sections, changeLine } = whatIfSections(w);
  const lines = sections[0]?.facts?.map((f) => `${f.label}: ${f.value}`) ?? [];
  return {
    title,
    text: [`If ${what}: ${changeLine} This is a simulation; nothing was changed.`, ...lines].join('\n'),
    tone: toneAfter(w),
    sections,
  };
}
