import type { Result } from './result';
import type { DomainError } from './domain-error';
import { ok, err } from './result';
import { domainError } from './domain-error';

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

const rate = (capability: string, unit: CapabilityRate['unit'], credits: number): [string, CapabilityRate] => [
  capability,
  // Tokens and characters are priced per 1,000 (docs/credit-rules.md, Rate card); pages, images and 'any' per item.
  { capability, unit, credits, unitSize: unit === 'token' || unit === 'character' ? 1000 : 1 },
];

/** The default rate card of docs/credit-rules.md, Rate card (versioned data). */
export const DEFAULT_RATE_CARD: RateCard = {
  version: '2025-01-default',
  rates: new Map<string, CapabilityRate>([
    rate('prompt-basic-input', 'token', 1),
    rate('prompt-standard-input', 'token', 20),
    rate('prompt-premium-input', 'token', 140),
    rate('prompt-basic-output', 'token', 3),
    rate('prompt-standard-output', 'token', 60),
    rate('prompt-premium-output', 'token', 560),
    rate('contract-processing', 'image', 32),
    rate('health-insurance-card', 'image', 32),
    rate('image-description', 'image', 32),
    rate('object-detection', 'image', 8),
    rate('custom-document-processing', 'page', 100),
    rate('receipt-processing', 'page', 32),
    rate('invoice-processing', 'page', 32),
    rate('identity-document', 'page', 32),
    rate('text-recognition', 'page', 3),
    rate('sentiment-analysis', 'character', 2),
    rate('language-detection', 'character', 2),
    rate('key-phrase-extraction', 'character', 2),
    rate('category-classification', 'character', 20),
    rate('entity-extraction', 'character', 20),
    rate('translation', 'character', 22),
    rate('business-card-reader', 'any', 0),
    rate('prediction', 'any', 0),
  ]),
};

/**
 * Price of one event: quantity x credits / unitSize, rounded up to a whole credit per event.
 * Unknown capability: INVALID_ARGUMENT on field 'capability'. Negative quantity: field 'quantity'.
 */
export function priceEvent(card: RateCard, capability: string, quantity: number): Result<number, DomainError> {
  const r = card.rates.get(capability);
  if (r === undefined) {
    return err(
      domainError(
        'INVALID_ARGUMENT',
        'RATE_CARD.UNKNOWN_CAPABILITY',
        `unknown capability ${JSON.stringify(capability)} (rate card ${card.version})`,
        'capability',
      ),
    );
  }
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    return err(
      domainError(
        'INVALID_ARGUMENT',
        'RATE_CARD.INVALID_QUANTITY',
        `quantity must be a whole number of ${r.unit}s between 0 and ${Number.MAX_SAFE_INTEGER}, got ${quantity}`,
        'quantity',
      ),
    );
  }
  // BigInt: quantity x credits can pass 2^53 before the division brings it back.
  const unitSize = BigInt(r.unitSize);
  const price = (BigInt(quantity) * BigInt(r.credits) + unitSize - 1n) / unitSize;
  if (price > BigInt(Number.MAX_SAFE_INTEGER)) {
    return err(
      domainError(
        'INVALID_ARGUMENT',
        'RATE_CARD.PRICE_TOO_LARGE',
        `${quantity} ${r.unit}s of ${capability} would cost ${price} credits, more than ${Number.MAX_SAFE_INTEGER}`,
        'quantity',
      ),
    );
  }
  return ok(Number(price));
}
