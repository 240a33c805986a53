/** The domain's refusal of an allocation (checkAllocationChange), in words with thousands separators, in either currency. */
import { checkAllocationChange, formatCredits } from '@allot/domain';

/** How a currency's allocations are named in a refusal. */
export interface RefusalWords {
  /** "credits", "Copilot Credits". */
  readonly noun: string;
  /** "" or " in the Copilot pool": where the unassigned credits are. */
  readonly pool: string;
}

export const AI_BUILDER_WORDS: RefusalWords = { noun: 'credits', pool: '' };
export const COPILOT_WORDS: RefusalWords = { noun: 'Copilot Credits', pool: ' in the Copilot pool' };

/** Why the core would refuse `environmentId` getting `credits`, or undefined when it would not. */
export function allocationRefusal(
  capacity: number,
  allocations: ReadonlyMap<string, number>,
  environmentId: string,
  credits: number,
  words: RefusalWords = AI_BUILDER_WORDS,
): string | undefined {
  const r = checkAllocationChange(capacity, allocations, environmentId, credits);
  if (r.ok) return undefined;
  if (r.error.code !== 'ALLOCATION.EXCEEDS_CAPACITY') return r.error.message;
  const current = allocations.get(environmentId) ?? 0;
  let allocated = 0;
  for (const v of allocations.values()) allocated += v;
  const unassigned = Math.max(0, capacity - allocated);
  return (
    `${environmentId} cannot go from ${formatCredits(current)} to ${formatCredits(credits)} ${words.noun}: only ${formatCredits(unassigned)} unassigned${words.pool} ` +
    `(capacity ${formatCredits(capacity)}, allocated ${formatCredits(allocated)}); ${environmentId} can have at most ${formatCredits(current + unassigned)}`
  );
}
