/**
 * What differs between an allocation in AI Builder credits and one in Copilot Credits (DUAL tenants): the words, the
 * current allocation in a what-if's snapshot, the what-if change, the currency sent to SetAllocation and where the
 * unassigned credits are (GetCapacity, GetCapacity.copilot). The AI Builder side reads exactly as it always did.
 */
import { Currency, type GetCapacityResponse } from '@allot/contracts';
import { formatCredits } from '@allot/domain';
import type { Fact } from './conversation.types';
import type { CreditCurrency } from '../understanding/copilot-words';
import type { Change, TenantSnapshot, WhatIf } from '../whatif/what-if.model';

export interface AllocationStep {
  readonly environmentId: string;
  readonly credits: number;
}

export interface AllocationCurrency {
  readonly currency: CreditCurrency;
  /** "credits", "Copilot Credits" (after a number). */
  readonly noun: string;
  /** "allocation", "Copilot allocation". */
  readonly allocation: string;
  readonly allocationOf: (s: TenantSnapshot, environmentId: string) => number;
  readonly change: (steps: readonly AllocationStep[]) => Change;
  /** SetAllocation's currency; undefined: the request as it always was (AI Builder credits). */
  readonly wire: Currency | undefined;
  /** The unassigned credits of the currency after the change, from GetCapacity: a fact and a sentence. */
  readonly unassignedAfter: (c: GetCapacityResponse) => { readonly fact: Fact; readonly sentence: string };
  /** The unassigned credits before → after in a preview; none for AI Builder credits (their capacity section says it). */
  readonly unassignedPreview: (w: WhatIf) => Fact | undefined;
}

export const AI_BUILDER_ALLOCATION: AllocationCurrency = {
  currency: 'AI_BUILDER',
  noun: 'credits',
  allocation: 'allocation',
  allocationOf: (s, id) => s.environments.find((e) => e.environmentId === id)?.allocation ?? 0,
  change: (steps) => ({ kind: 'allocations', set: steps }),
  wire: undefined,
  unassignedAfter: (c) => ({
    fact: { label: 'Unassigned', value: `${formatCredits(c.unassigned)} credits` },
    sentence: `Unassigned now ${formatCredits(c.unassigned)} credits.`,
  }),
  unassignedPreview: () => undefined,
};

const COPILOT_POOL = 'Unassigned in the Copilot pool';

export const COPILOT_ALLOCATION: AllocationCurrency = {
  currency: 'COPILOT',
  noun: 'Copilot Credits',
  allocation: 'Copilot allocation',
  allocationOf: (s, id) => s.environments.find((e) => e.environmentId === id)?.copilot?.allocation ?? 0,
  change: (steps) => ({ kind: 'copilot', set: steps.map((s) => ({ environmentId: s.environmentId, allocation: s.credits })) }),
  wire: Currency.CURRENCY_COPILOT,
  unassignedAfter: (c) => {
    const left = formatCredits(c.copilot?.unassigned ?? 0);
    return { fact: { label: COPILOT_POOL, value: `${left} Copilot Credits` }, sentence: `${COPILOT_POOL} now ${left} Copilot Credits.` };
  },
  unassignedPreview: (w) => {
    const b = w.copilotCapacityBefore?.unassigned ?? 0;
    const a = w.copilotCapacityAfter?.unassigned ?? 0;
    return { label: COPILOT_POOL, value: b === a ? `${formatCredits(a)} Copilot Credits, unchanged` : `${formatCredits(b)} → ${formatCredits(a)} Copilot Credits` };
  },
};

export const allocationCurrency = (c: CreditCurrency | undefined): AllocationCurrency => (c === 'COPILOT' ? COPILOT_ALLOCATION : AI_BUILDER_ALLOCATION);
