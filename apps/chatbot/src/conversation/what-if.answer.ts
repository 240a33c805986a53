/** What-if questions: computed on a copy of the tenant's period, nothing is changed. A move may be in Copilot Credits (DUAL). */
import { ADDON_CREDITS_PER_UNIT, formatCredits } from '@allot/domain';
import type { AnswerContext } from './answer.context';
import type { Reply } from './conversation.types';
import type { EnvironmentRef } from './environment.matcher';
import { environmentName } from './reply-format';
import { loadTenantSnapshot } from '../whatif/tenant-snapshot';
import { simulate, type EntitlementSnapshot } from '../whatif/what-if.model';
import { whatIfReply } from '../whatif/what-if.reply';
import type { CreditCurrency } from '../understanding/copilot-words';
import { allocationCurrency } from './allocation-currency';
import { refuseUnlessDual } from './dual-only';

const name = (e: EnvironmentRef): string => environmentName(e.environmentId, e.displayName);

export async function whatIfMove(a: AnswerContext, from: EnvironmentRef, to: EnvironmentRef, amount: number, currency?: CreditCurrency): Promise<Reply> {
  if (currency === 'COPILOT') {
    const classic = await refuseUnlessDual(a, 'simulate moving Copilot Credits');
    if (classic !== undefined) return classic;
  }
  const side = allocationCurrency(currency);
  const s = await loadTenantSnapshot(a.core, a.tenant.tenantId);
  const fromNow = side.allocationOf(s, from.environmentId);
  const toNow = side.allocationOf(s, to.environmentId);
  const what = `${formatCredits(amount)} ${side.noun} of allocation moved from ${name(from)} to ${name(to)}`;
  if (amount > fromNow) {
    return { title: 'What if: move', text: `That move could not happen: ${name(from)} has only ${formatCredits(fromNow)} ${side.noun} allocated. Nothing was changed.`, tone: 'info', sections: [] };
  }
  const w = simulate(s, side.change([{ environmentId: from.environmentId, credits: fromNow - amount }, { environmentId: to.environmentId, credits: toNow + amount }]));
  const amountWords = currency === 'COPILOT' ? `${formatCredits(amount)} Copilot Credits` : formatCredits(amount);
  return whatIfReply(`What if: move ${amountWords} from ${from.environmentId} to ${to.environmentId}`, what, w);
}

/** "one add-on", "2 packs" are units of 1,000,000; "an extra million credits" is credits. */
export async function whatIfAdd(a: AnswerContext, amounts: readonly number[]): Promise<Reply> {
  const n = amounts[0] ?? 1;
  const added = n >= 1_000 ? n : n * ADDON_CREDITS_PER_UNIT;
  const s = await loadTenantSnapshot(a.core, a.tenant.tenantId);
  const what = n >= 1_000 ? `capacity grew by ${formatCredits(added)} credits` : `you added ${n} capacity add-on${n === 1 ? '' : 's'} (${formatCredits(added)} credits a month)`;
  return whatIfReply(`What if: +${formatCredits(added)} capacity`, what, simulate(s, { kind: 'add-capacity', credits: added }));
}

function pickEntitlement(list: readonly EntitlementSnapshot[], text: string): EntitlementSnapshot | undefined {
  const kind = /\blicen[cs]e|seats?\b/.test(text) ? 'LICENSE' : /\badd-?ons?|packs?\b/.test(text) ? 'CAPACITY_ADDON' : undefined;
  const candidates = list.filter((e) => kind === undefined || e.kind === kind);
  return [...(candidates.length > 0 ? candidates : list)].sort((x, y) => y.monthlyCredits - x.monthlyCredits)[0];
}

export async function whatIfEnd(a: AnswerContext, text: string): Promise<Reply> {
  const s = await loadTenantSnapshot(a.core, a.tenant.tenantId);
  const e = pickEntitlement(s.entitlements, text.toLowerCase());
  if (e === undefined) return { title: 'What if: entitlement ends', text: `${a.tenant.name} has no entitlement to end.`, tone: 'info', sections: [] };
  const label = e.kind === 'LICENSE' ? `the ${e.sku} license (${e.quantity} seats)` : `the capacity add-on (${e.quantity} unit${e.quantity === 1 ? '' : 's'})`;
  const what = `${label} ended, taking ${formatCredits(e.monthlyCredits)} credits a month away`;
  return whatIfReply(`What if: ${e.kind === 'LICENSE' ? e.sku : 'add-on'} ends`, what, simulate(s, { kind: 'end-entitlement', entitlementId: e.entitlementId }));
}
