import { describe, expect, it } from 'vitest';
import { DEFAULT_COPILOT_RATE_CARD, priceCopilotEvent } from './copilot-rate-card';
import { DEFAULT_RATE_CARD } from './rate-card';

const price = (capability: string, quantity: number): number => {
  const r = priceCopilotEvent(DEFAULT_COPILOT_RATE_CARD, capability, quantity);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('Copilot rate card (thousandths of a Copilot Credit)', () => {
  it('rounds tokens up to whole thousands: 3,100 + 1,500 tokens in one event = 5 units', () => {
    expect(price('prompt-basic-input', 4_600)).toBe(500); // 5 x 0.1
    expect(price('prompt-standard-output', 4_600)).toBe(7_500); // 5 x 1.5
    expect(price('prompt-premium-input', 1)).toBe(10_000); // 1 x 10
  });

  it('prices characters per started thousand and pages or images whole', () => {
    expect(price('translation', 2_001)).toBe(4_500); // 3 x 1.5
    expect(price('sentiment-analysis', 999)).toBe(100);
    expect(price('text-recognition', 7)).toBe(700); // basic per page
    expect(price('invoice-processing', 3)).toBe(24_000); // 3 x 8
    expect(price('image-description', 1)).toBe(8_000);
  });

  it('business card reader and prediction are free', () => {
    expect(price('business-card-reader', 50)).toBe(0);
    expect(price('prediction', 50)).toBe(0);
  });

  it('prices every AI Builder capability and refuses unknown ones', () => {
    for (const capability of DEFAULT_RATE_CARD.rates.keys()) expect(DEFAULT_COPILOT_RATE_CARD.capabilities.has(capability)).toBe(true);
    const r = priceCopilotEvent(DEFAULT_COPILOT_RATE_CARD, 'nope', 1);
    expect(r.ok ? null : r.error.field).toBe('capability');
  });
});
