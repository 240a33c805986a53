/**
 * DUAL: an environment's Copilot Credit settings from the chat (docs/licensing.md): pay-as-you-go on or off with its
 * monthly budget, and "draw from the available capacity in my tenant" (the Copilot pool). Like the allocation
 * actions: admins only, a CLASSIC tenant told that Copilot Credits are DUAL's, previewed with the settings before →
 * after and the stages they change, run only after a yes (UpdateEnvironmentSettings, with who and where for the
 * core's audit).
 */
import { formatCredits } from '@allot/domain';
import { actorHeaders, type AnswerContext } from './answer.context';
import type { Fact, Reply } from './conversation.types';
import type { EnvironmentRef } from './environment.matcher';
import { environmentName } from './reply-format';
import { ADMINS_ONLY, coreRefusal, refusedReply } from './allocation.actions';
import { refuseUnlessDual } from './dual-only';
import { loadTenantSnapshot } from '../whatif/tenant-snapshot';
import { simulate, type EnvironmentCopilotSnapshot } from '../whatif/what-if.model';
import { whatIfSections } from '../whatif/what-if.reply';

/** The settings to change; unset ones stay as they are. A budget of 0 is no budget (no limit). */
export interface CopilotSettings {
  readonly payg?: boolean;
  readonly paygBudget?: number;
  readonly drawFromTenant?: boolean;
}

type Current = Pick<EnvironmentCopilotSnapshot, 'payg' | 'paygBudget' | 'drawFromTenant'>;

const name = (e: EnvironmentRef): string => environmentName(e.environmentId, e.displayName);
const onOff = (b: boolean): string => (b ? 'on' : 'off');
const yesNo = (b: boolean): string => (b ? 'yes' : 'no');
const budgetWords = (n: number): string => (n > 0 ? `${formatCredits(n)} Copilot Credits a month` : 'none (no limit)');
const arrow = (b: string, a: string): string => (b === a ? a : `${b} → ${a}`);

export const PAYG_LABEL = 'Pay-as-you-go';
export const BUDGET_LABEL = 'Pay-as-you-go budget';
export const POOL_LABEL = "Draws from the tenant's Copilot pool";

const after = (now: Current, change: CopilotSettings): Current => ({
  payg: change.payg ?? now.payg,
  paygBudget: change.paygBudget ?? now.paygBudget,
  drawFromTenant: change.drawFromTenant ?? now.drawFromTenant,
});

/** "turn on pay-as-you-go for Prod (prod) with a budget of 5,000 Copilot Credits a month", … */
function summaryOf(env: EnvironmentRef, now: Current, next: Current): string {
  const n = name(env);
  if (next.drawFromTenant !== now.drawFromTenant) {
    return next.drawFromTenant ? `let ${n} draw Copilot Credits from the tenant's Copilot pool` : `stop ${n} drawing Copilot Credits from the tenant's Copilot pool`;
  }
  if (!next.payg) return `turn off pay-as-you-go for ${n}`;
  if (now.payg) return `set ${n}'s pay-as-you-go budget to ${budgetWords(next.paygBudget)}`;
  return `turn on pay-as-you-go for ${n} with ${next.paygBudget > 0 ? `a budget of ${formatCredits(next.paygBudget)} Copilot Credits a month` : 'no budget (no limit)'}`;
}

/** The settings before → after: what changes, and the budget whenever pay-as-you-go is on. */
function settingFacts(now: Current, next: Current): Fact[] {
  const facts: Fact[] = [];
  if (now.payg !== next.payg) facts.push({ label: PAYG_LABEL, value: arrow(onOff(now.payg), onOff(next.payg)) });
  if (next.payg) facts.push({ label: BUDGET_LABEL, value: arrow(now.payg ? budgetWords(now.paygBudget) : budgetWords(next.paygBudget), budgetWords(next.paygBudget)) });
  if (now.drawFromTenant !== next.drawFromTenant) facts.push({ label: POOL_LABEL, value: arrow(yesNo(now.drawFromTenant), yesNo(next.drawFromTenant)) });
  return facts;
}

const unchanged = (now: Current, next: Current): boolean =>
  now.payg === next.payg && now.drawFromTenant === next.drawFromTenant && (!next.payg || now.paygBudget === next.paygBudget);

/** The settings as they are: pay-as-you-go, its budget when it is on, the Copilot pool. */
const factsOf = (c: Current): Fact[] => [
  { label: PAYG_LABEL, value: onOff(c.payg) },
  ...(c.payg ? [{ label: BUDGET_LABEL, value: budgetWords(c.paygBudget) }] : []),
  { label: POOL_LABEL, value: yesNo(c.drawFromTenant) },
];
const inWords = (facts: readonly Fact[]): string => facts.map((f) => `${f.label.charAt(0).toLowerCase()}${f.label.slice(1)}: ${f.value}`).join('; ');

async function run(a: AnswerContext, env: EnvironmentRef, change: CopilotSettings, summary: string): Promise<Reply> {
  let facts: Fact[];
  try {
    const r = await a.core.admin.updateEnvironmentSettings(
      {
        tenantId: a.tenant.tenantId,
        environmentId: env.environmentId,
        ...(change.payg !== undefined ? { copilotPayg: change.payg } : {}),
        ...(change.paygBudget !== undefined ? { copilotPaygBudget: change.paygBudget } : {}),
        ...(change.drawFromTenant !== undefined ? { copilotDrawFromTenant: change.drawFromTenant } : {}),
      },
      { headers: actorHeaders(a.context) },
    );
    const e = r.environment;
    facts = factsOf({ payg: e?.copilotPayg ?? false, paygBudget: e?.copilotPaygBudget ?? 0, drawFromTenant: e?.copilotDrawFromTenant ?? true });
  } catch (e) {
    return refusedReply(summary, `the credit service refused: ${coreRefusal(e)}`);
  }
  return {
    title: 'Done',
    text: `Done: ${summary}. ${name(env)} now: ${inWords(facts)}. Recorded in the audit as ${a.context.channel.platform}:${a.context.userId}.`,
    tone: 'good',
    sections: [{ heading: name(env), facts }],
  };
}

/** The preview with its yes/no; or why not (not an admin, a CLASSIC tenant, nothing to change). */
export async function previewCopilotSettings(a: AnswerContext, env: EnvironmentRef, change: CopilotSettings): Promise<Reply> {
  if (!a.context.isAdmin) return ADMINS_ONLY('change Copilot Credit settings');
  const what = change.drawFromTenant !== undefined ? `change where ${name(env)} draws Copilot Credits from` : `change pay-as-you-go for ${name(env)}`;
  const classic = await refuseUnlessDual(a, what);
  if (classic !== undefined) return classic;
  const s = await loadTenantSnapshot(a.core, a.tenant.tenantId);
  const now = s.environments.find((e) => e.environmentId === env.environmentId)?.copilot;
  if (now === undefined) return refusedReply(what, `${name(env)} has no Copilot Credit settings`);
  const next = after(now, change);
  const summary = summaryOf(env, now, next);
  if (unchanged(now, next)) {
    return { title: 'Nothing to change', text: `${name(env)} is already set that way (${inWords(factsOf(now))}). Nothing was changed.`, tone: 'info', sections: [] };
  }
  const w = simulate(s, { kind: 'copilot', set: [{ environmentId: env.environmentId, ...change }] });
  if (w.refused !== undefined) return refusedReply(summary, w.refused);
  const facts = settingFacts(now, next);
  const noBilling =
    next.payg && !(s.copilot?.paygActive ?? false)
      ? `\nNote: ${a.tenant.name} has no pay-as-you-go billing (a Copilot pay-as-you-go entitlement) this month, so ${name(env)} draws nothing from pay-as-you-go until one is added.`
      : '';
  const pending = a.pending.add(a.context, summary, () => run(a, env, change, summary));
  const { sections, changeLine } = whatIfSections(w);
  return {
    title: 'Confirm the change',
    text: `I will ${summary}.\n${facts.map((f) => `${f.label}: ${f.value}`).join('\n')}${noBilling}\n${changeLine}\nDo it? Answer yes or no.`,
    tone: 'warning',
    sections: [{ heading: 'What will change', facts, ...(noBilling ? { text: noBilling.trim() } : {}) }, ...sections],
    confirm: { actionId: pending.id, yes: 'Yes, do it', no: 'No' },
  };
}
