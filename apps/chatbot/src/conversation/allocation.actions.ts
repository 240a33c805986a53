/**
 * Admin actions on allocations (set, raise, lower, move), in AI Builder credits or, for a DUAL tenant, in Copilot
 * Credits; always previewed with their exact effect and run only after a yes. A refused action says why with the
 * numbers and changes nothing. The core call carries who asks and where, for the core's audit.
 */
import { formatCredits } from '@allot/domain';
import { actorHeaders, type AnswerContext } from './answer.context';
import type { Reply } from './conversation.types';
import type { EnvironmentRef } from './environment.matcher';
import { environmentName } from './reply-format';
import { allocationCurrency, type AllocationCurrency } from './allocation-currency';
import { refuseUnlessDual } from './dual-only';
import type { CreditCurrency } from '../understanding/copilot-words';
import { loadTenantSnapshot } from '../whatif/tenant-snapshot';
import { simulate, type TenantSnapshot, type WhatIf } from '../whatif/what-if.model';
import { whatIfSections } from '../whatif/what-if.reply';

export type AllocationAction = (
  | { readonly kind: 'set'; readonly env: EnvironmentRef; readonly credits: number }
  | { readonly kind: 'raise' | 'lower'; readonly env: EnvironmentRef; readonly by: number }
  | { readonly kind: 'move'; readonly from: EnvironmentRef; readonly to: EnvironmentRef; readonly credits: number }
) & {
  /** Unset: AI Builder credits. COPILOT: Copilot Credits, for DUAL tenants only. */
  readonly currency?: CreditCurrency;
};

export const ADMINS_ONLY = (what: string): Reply => ({
  title: 'Only admins can do that',
  text: `Sorry, only admins can ${what}. Nothing was changed. You can still ask me anything about credits, or ask for more credits ("I need 50k more for <environment>").`,
  tone: 'info',
  sections: [],
});

export const refusedReply = (summary: string, why: string): Reply => ({
  title: "Can't do that",
  text: `I can't ${summary}: ${why}. Nothing was changed.`,
  tone: 'warning',
  sections: [],
});

/** The core's refusal in its own words (the status details), for "the credit service refused: …". */
export const coreRefusal = (e: unknown): string =>
  e instanceof Error && 'details' in e ? String((e as { details: unknown }).details) : e instanceof Error ? e.message : String(e);

const name = (e: EnvironmentRef): string => environmentName(e.environmentId, e.displayName);

interface Plan {
  readonly summary: string;
  readonly side: AllocationCurrency;
  readonly steps: readonly { readonly env: EnvironmentRef; readonly from: number; readonly credits: number }[];
  readonly refused?: string;
}

function plan(s: TenantSnapshot, action: AllocationAction): Plan {
  const side = allocationCurrency(action.currency);
  const { noun } = side;
  const allocationOf = (env: EnvironmentRef): number => side.allocationOf(s, env.environmentId);
  if (action.kind === 'move') {
    const fromNow = allocationOf(action.from);
    const toNow = allocationOf(action.to);
    const summary = `move ${formatCredits(action.credits)} ${noun} of allocation from ${name(action.from)} to ${name(action.to)}`;
    if (action.from.environmentId === action.to.environmentId) return { summary, side, steps: [], refused: 'the source and the target are the same environment' };
    if (action.credits > fromNow) return { summary, side, steps: [], refused: `${name(action.from)} has only ${formatCredits(fromNow)} ${noun} allocated` };
    return {
      summary,
      side,
      // The source is lowered first: raising the target first could be refused for credits the move is about to free.
      steps: [
        { env: action.from, from: fromNow, credits: fromNow - action.credits },
        { env: action.to, from: toNow, credits: toNow + action.credits },
      ],
    };
  }
  const now = allocationOf(action.env);
  const what = `${name(action.env)}'s ${side.allocation}`;
  if (action.kind === 'set') {
    return { summary: `set ${what} to ${formatCredits(action.credits)} ${noun} (now ${formatCredits(now)})`, side, steps: [{ env: action.env, from: now, credits: action.credits }] };
  }
  if (action.kind === 'raise') {
    return { summary: `raise ${what} by ${formatCredits(action.by)}, from ${formatCredits(now)} to ${formatCredits(now + action.by)} ${noun}`, side, steps: [{ env: action.env, from: now, credits: now + action.by }] };
  }
  const summary = `lower ${what} by ${formatCredits(action.by)}, from ${formatCredits(now)} to ${formatCredits(now - action.by)} ${noun}`;
  if (action.by > now) return { summary, side, steps: [], refused: `${name(action.env)} has only ${formatCredits(now)} ${noun} allocated` };
  return { summary, side, steps: [{ env: action.env, from: now, credits: now - action.by }] };
}

const stepLine = (p: Plan, s: Plan['steps'][number]): string => `${formatCredits(s.from)} → ${formatCredits(s.credits)} ${p.side.noun}`;

/** Makes the change; a move whose second step fails puts the first one back. */
async function run(a: AnswerContext, p: Plan): Promise<Reply> {
  const headers = actorHeaders(a.context);
  const currency = p.side.wire !== undefined ? { currency: p.side.wire } : {};
  const set = (environmentId: string, credits: number) => a.core.admin.setAllocation({ tenantId: a.tenant.tenantId, environmentId, credits, ...currency }, { headers });
  const done: Plan['steps'][number][] = [];
  try {
    for (const step of p.steps) {
      await set(step.env.environmentId, step.credits);
      done.push(step);
    }
  } catch (e) {
    for (const step of done.reverse()) await set(step.env.environmentId, step.from).catch(() => undefined);
    return refusedReply(p.summary, `the credit service refused: ${coreRefusal(e)}`);
  }
  const capacity = await a.core.admin.getCapacity({ tenantId: a.tenant.tenantId, period: '' });
  const unassigned = p.side.unassignedAfter(capacity);
  const lines = p.steps.map((s) => `${name(s.env)}: ${stepLine(p, s)}`);
  return {
    title: 'Done',
    text: `Done: ${p.summary}. ${lines.join('; ')}. ${unassigned.sentence} Recorded in the audit as ${a.context.channel.platform}:${a.context.userId}.`,
    tone: 'good',
    sections: [{ facts: [...p.steps.map((s) => ({ label: name(s.env), value: stepLine(p, s) })), unassigned.fact] }],
  };
}

/** The plan of an action and its what-if on the current period, or why it would be refused. */
async function checked(a: AnswerContext, action: AllocationAction): Promise<{ p: Plan; w: WhatIf } | { refused: Reply; why: string }> {
  if (action.currency === 'COPILOT') {
    const classic = await refuseUnlessDual(a, action.kind === 'move' ? 'move Copilot Credits' : 'change Copilot allocations');
    if (classic !== undefined) return { refused: classic, why: classic.text };
  }
  const snapshot = await loadTenantSnapshot(a.core, a.tenant.tenantId);
  const p = plan(snapshot, action);
  if (p.refused !== undefined) return { refused: refusedReply(p.summary, p.refused), why: p.refused };
  const w = simulate(snapshot, p.side.change(p.steps.map((s) => ({ environmentId: s.env.environmentId, credits: s.credits }))));
  if (w.refused !== undefined) return { refused: refusedReply(p.summary, w.refused), why: w.refused };
  return { p, w };
}

/** Makes the change at once (an approved capacity request): the reply says what was done, or why not. */
export async function applyAllocationAction(a: AnswerContext, action: AllocationAction): Promise<{ reply: Reply; done: boolean; why?: string }> {
  const c = await checked(a, action);
  if ('refused' in c) return { reply: c.refused, done: false, why: c.why };
  const reply = await run(a, c.p);
  return { reply, done: reply.title === 'Done' };
}

/** What an action would change, for a card: the allocation lines and the stage sections. */
export async function describeAllocationAction(a: AnswerContext, action: AllocationAction): Promise<{ lines: string[]; sections: Reply['sections']; refusal?: string }> {
  const c = await checked(a, action);
  if ('refused' in c) return { lines: [], sections: [], refusal: c.why };
  return { lines: c.p.steps.map((s) => `${name(s.env)}: ${stepLine(c.p, s)}`), sections: whatIfSections(c.w).sections };
}

/** The preview with its yes/no, or the refusal. */
export async function previewAllocationAction(a: AnswerContext, action: AllocationAction): Promise<Reply> {
  if (!a.context.isAdmin) return ADMINS_ONLY('change allocations');
  const c = await checked(a, action);
  if ('refused' in c) return c.refused;
  const { p, w } = c;
  const pending = a.pending.add(a.context, p.summary, () => run(a, p));
  const { sections, changeLine } = whatIfSections(w);
  const facts = [...p.steps.map((s) => ({ label: name(s.env), value: stepLine(p, s) })), ...[p.side.unassignedPreview(w)].filter((f) => f !== undefined)];
  return {
    title: 'Confirm the change',
    text: `I will ${p.summary}.\n${facts.map((f) => `${f.label}: ${f.value}`).join('\n')}\n${changeLine}\nDo it? Answer yes or no.`,
    tone: 'warning',
    sections: [{ heading: 'What will change', facts }, ...sections],
    confirm: { actionId: pending.id, yes: 'Yes, do it', no: 'No' },
  };
}
