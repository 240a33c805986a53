import type { Result } from './result';
import type { DomainError } from './domain-error';
import { ok, err } from './result';
import { domainError } from './domain-error';

/** The four priced features of the Copilot rate card (docs/licensing.md, Copilot rate card). */
export type CopilotFeature = 'BASIC' | 'STANDARD' | 'PREMIUM' | 'CONTENT_PROCESSING' | 'FREE';

export interface CopilotCapabilityRate {
  readonly capability: string;
  readonly feature: CopilotFeature;
  /** Base units per priced unit: 1000 for tokens and characters (rounded up to whole thousands), 1 for pages and images. */
  readonly unitSize: number;
}

export interface CopilotRateCard {
  readonly version: string;
  /** Thousandths of a Copilot Credit per priced unit. */
  readonly featureMillis: Readonly<Record<CopilotFeature, number>>;
  readonly capabilities: ReadonlyMap<string, CopilotCapabilityRate>;
}

const per1000 = (capability: string, feature: CopilotFeature): [string, CopilotCapabilityRate] => [capability, { capability, feature, unitSize: 1000 }];
const each = (capability: string, feature: CopilotFeature): [string, CopilotCapabilityRate] => [capability, { capability, feature, unitSize: 1 }];

/**
 * The Copilot rate card of 2025-11 (versioned data): basic 0.1, standard 1.5, premium 10, content processing 8
 * Copilot Credits per unit. The capability ids are the AI Builder ones, so one event can be priced in both currencies.
 */
export const DEFAULT_COPILOT_RATE_CARD: CopilotRateCard = {
  version: '2025-11-copilot',
  featureMillis: { BASIC: 100, STANDARD: 1_500, PREMIUM: 10_000, CONTENT_PROCESSING: 8_000, FREE: 0 },
  capabilities: new Map<string, CopilotCapabilityRate>([
    per1000('prompt-basic-input', 'BASIC'),
    per1000('prompt-basic-output', 'BASIC'),
    per1000('prompt-standard-input', 'STANDARD'),
    per1000('prompt-standard-output', 'STANDARD'),
    per1000('prompt-premium-input', 'PREMIUM'),
    per1000('prompt-premium-output', 'PREMIUM'),
    each('text-recognition', 'BASIC'),
    per1000('sentiment-analysis', 'BASIC'),
    per1000('language-detection', 'BASIC'),
    per1000('key-phrase-extraction', 'BASIC'),
    per1000('translation', 'STANDARD'),
    per1000('entity-extraction', 'STANDARD'),
    per1000('category-classification', 'STANDARD'),
    each('custom-document-processing', 'CONTENT_PROCESSING'),
    each('invoice-processing', 'CONTENT_PROCESSING'),
    each('receipt-processing', 'CONTENT_PROCESSING'),
    each('identity-document', 'CONTENT_PROCESSING'),
    each('object-detection', 'CONTENT_PROCESSING'),
    each('contract-processing', 'CONTENT_PROCESSING'),
    each('health-insurance-card', 'CONTENT_PROCESSING'),
    each('image-description', 'CONTENT_PROCESSING'),
    each('business-card-reader', 'FREE'),
    each('prediction', 'FREE'),
  ]),
};

/**
 * Price of one event in thousandths of a Copilot Credit: units x the feature's rate, units = quantity rounded up to
 * whole thousands (tokens, characters) or whole pages / images. Exact integers (BigInt), no float anywhere.
 * Rounding is per event (docs/licensing.md): a prompt reported as one event of 3,100 + 1,500 tokens is 5 units.
 */
export function priceCopilotEvent(card: CopilotRateCard, capability: string, quantity: number): Result<number, DomainError> {
  const r = card.capabilities.get(capability);
  if (r === undefined) {
    return err(
      domainError('INVALID_ARGUMENT', 'RATE_CARD.UNKNOWN_CAPABILITY', `unknown capability ${JSON.stringify(capability)} (rate card ${card.version})`, 'capability'),
    );
  }
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    return err(domainError('INVALID_ARGUMENT', 'RATE_CARD.INVALID_QUANTITY', `quantity must be a whole number >= 0, got ${quantity}`, 'quantity'));
  }
  const size = BigInt(r.unitSize);
  const units = (BigInt(quantity) + size - 1n) / size;
  const millis = units * BigInt(card.featureMillis[r.feature]);
  if (millis > BigInt(Number.MAX_SAFE_INTEGER)) {
    return err(domainError('INVALID_ARGUMENT', 'RATE_CARD.PRICE_TOO_LARGE', `${quantity} of ${capability} is too large to price`, 'quantity'));
  }
  return ok(Number(millis));
}
