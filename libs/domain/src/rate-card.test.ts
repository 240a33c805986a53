import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_CARD, priceEvent } from './rate-card';

const price = (capability: string, quantity: number): number => {
  const r = priceEvent(DEFAULT_RATE_CARD, capability, quantity);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('DEFAULT_RATE_CARD (docs/credit-rules.md, Rate card)', () => {
  it.each([
    // capability, unit, credits per unit, a quantity, its price (rounded up per event)
    ['prompt-basic-input', 'token', 1, 2_500, 3],
    ['prompt-standard-input', 'token', 20, 2_500, 50],
    ['prompt-premium-input', 'token', 140, 2_500, 350],
    ['prompt-basic-output', 'token', 3, 2_500, 8],
    ['prompt-standard-output', 'token', 60, 2_500, 150],
    ['prompt-premium-output', 'token', 560, 2_500, 1_400],
    ['contract-processing', 'image', 32, 3, 96],
    ['health-insurance-card', 'image', 32, 3, 96],
    ['image-description', 'image', 32, 3, 96],
    ['object-detection', 'image', 8, 3, 24],
    ['custom-document-processing', 'page', 100, 3, 300],
    ['receipt-processing', 'page', 32, 3, 96],
    ['invoice-processing', 'page', 32, 3, 96],
    ['identity-document', 'page', 32, 3, 96],
    ['text-recognition', 'page', 3, 3, 9],
    ['sentiment-analysis', 'character', 2, 2_500, 5],
    ['language-detection', 'character', 2, 2_500, 5],
    ['key-phrase-extraction', 'character', 2, 2_500, 5],
    ['category-classification', 'character', 20, 2_500, 50],
    ['entity-extraction', 'character', 20, 2_500, 50],
    ['translation', 'character', 22, 2_500, 55],
    ['business-card-reader', 'any', 0, 40, 0],
    ['prediction', 'any', 0, 1_000_000, 0],
  ])('%s: %s at %i credits; %i units cost %i', (capability, unit, credits, quantity, expected) => {
    const r = DEFAULT_RATE_CARD.rates.get(capability);
    expect(r).toMatchObject({ capability, unit, credits, unitSize: unit === 'token' || unit === 'character' ? 1000 : 1 });
    expect(price(capability, quantity)).toBe(expected);
  });

  it('holds exactly the 23 capabilities of docs/credit-rules.md and a version', () => {
    expect(DEFAULT_RATE_CARD.rates.size).toBe(23);
    expect(DEFAULT_RATE_CARD.version).not.toBe('');
  });
});

describe('priceEvent rounding', () => {
  it.each([
    ['prompt-basic-input', 1, 1],
    ['prompt-basic-input', 1_000, 1],
    ['prompt-basic-input', 1_001, 2],
    ['prompt-premium-output', 1, 1],
    ['prompt-premium-output', 999, 560],
    ['translation', 1_000, 22],
    ['translation', 1_001, 23],
    ['text-recognition', 0, 0],
  ])('%s x %i = %i credits', (capability, quantity, expected) => {
    expect(price(capability, quantity)).toBe(expected);
  });

  it('stays exact for quantities near 2^53 (no float rounding)', () => {
    // (2^53 - 1) x 560 = 5044031582654954960 -> / 1000 = 5044031582654954.96 -> 5044031582654955.
    // Doubles give 5044031582654954: the product loses its last digits before the division.
    expect(price('prompt-premium-output', Number.MAX_SAFE_INTEGER)).toBe(5_044_031_582_654_955);
    // 9007199254740667 x 3 = 27021597764222001 -> 27021597764222.001 -> 27021597764223 (doubles: ...222).
    expect(price('prompt-basic-output', 9_007_199_254_740_667)).toBe(27_021_597_764_223);
  });
});

describe('priceEvent refusals', () => {
  it('refuses an unknown capability on the capability field', () => {
    expect(priceEvent(DEFAULT_RATE_CARD, 'mind-reading', 1)).toMatchObject({
      ok: false,
      error: { category: 'INVALID_ARGUMENT', code: 'RATE_CARD.UNKNOWN_CAPABILITY', field: 'capability' },
    });
  });

  it.each([-1, 1.5, Number.NaN])('refuses quantity %s on the quantity field', (quantity) => {
    expect(priceEvent(DEFAULT_RATE_CARD, 'translation', quantity)).toMatchObject({
      ok: false,
      error: { category: 'INVALID_ARGUMENT', code: 'RATE_CARD.INVALID_QUANTITY', field: 'quantity' },
    });
  });

  it('refuses a price above 2^53 - 1 credits', () => {
    const r = priceEvent(DEFAULT_RATE_CARD, 'custom-document-processing', Number.MAX_SAFE_INTEGER);
    expect(r).toMatchObject({ ok: false, error: { code: 'RATE_CARD.PRICE_TOO_LARGE', field: 'quantity' } });
  });
});
