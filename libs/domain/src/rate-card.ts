import type { Result } from './result';
import type { DomainError } from './domain-error';

export interface CapabilityRate {
  readonly capability: string;
  /** Base units priced together: 1000 for tokens and characters, 1 for pages and images. */
  readonly unitSize: number;
  /** Credits per unitSize base units. */
  readonly credits: number;
  readonly unit: 'token' | 'character' | 'page' | 'image' | 'any';
}

export interface RateCard {
  readonly version: string;
  readonly rates: ReadonlyMap<string, CapabilityRate>;
}

/** The default rate card of DOMAIN.md (versioned data). */
export declare const DEFAULT_RATE_CARD: RateCard;

/**
 * Price of one event: quantity x credits / unitSize, rounded up to a whole credit per event.
 * Unknown capability: INVALID_ARGUMENT on field 'capability'. Negative quantity: field 'quantity'.
 */
export declare function priceEvent(card: RateCard, capability: string, quantity: number): Result<number, DomainError>;
