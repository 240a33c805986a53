import { DEFAULT_COPILOT_RATE_CARD, DEFAULT_RATE_CARD, domainError, parseCredits, priceCopilotEvent, priceEvent } from '@allot/domain';
import { CoreError, unwrap } from '../shared/core-error';

/** An amount priced in both currencies: whole AI Builder credits, and Copilot thousandths (null: AI Builder credits only). */
export interface PricedAmount {
  readonly credits: number;
  readonly copilot: number | null;
  /** '' and 0 when the amount was given as credits. */
  readonly capability: string;
  readonly quantity: number;
}

/**
 * Prices an amount given as `credits` or `capability` + `quantity` (never both: which one the client meant is unknown,
 * so neither is guessed). Credits alone have no Copilot price: such an event can only be charged in AI Builder
 * credits (docs/licensing.md, Draw order). Throws INVALID_ARGUMENT naming the field.
 */
export function priceAmount(credits: number | undefined, capability: string, quantity: number): PricedAmount {
  if (credits !== undefined && (capability !== '' || quantity !== 0)) {
    throw new CoreError(domainError('INVALID_ARGUMENT', 'CONSUMPTION.AMBIGUOUS_AMOUNT', 'give either credits, or capability + quantity, not both', capability !== '' ? 'capability' : 'quantity'));
  }
  if (credits !== undefined) return { credits: unwrap(parseCredits(credits, 'credits')), copilot: null, capability: '', quantity: 0 };
  if (capability === '') throw new CoreError(domainError('INVALID_ARGUMENT', 'CONSUMPTION.NO_AMOUNT', 'give credits, or capability + quantity', 'credits'));
  const aiBuilder = unwrap(priceEvent(DEFAULT_RATE_CARD, capability, quantity));
  // Both cards list the same capabilities today; one missing from the Copilot card is charged in AI Builder credits only.
  const copilot = DEFAULT_COPILOT_RATE_CARD.capabilities.has(capability) ? unwrap(priceCopilotEvent(DEFAULT_COPILOT_RATE_CARD, capability, quantity)) : null;
  return { credits: aiBuilder, copilot, capability, quantity };
}
