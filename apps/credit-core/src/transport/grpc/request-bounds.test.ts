import { describe, expect, it } from 'vitest';
import { MAX_STRING, quotePrefix, requestBoundsViolation } from './request-bounds';

describe('requestBoundsViolation', () => {
  it('accepts an ordinary request, nested lists and times included', () => {
    const request = { tenantId: 'acme', events: [{ sourceId: 'flow-1', credits: 12, occurredAt: new Date('2026-12-01T00:00:00Z') }], note: '' };
    expect(requestBoundsViolation(request)).toBeNull();
  });

  it('names the wire field of a NUL deep in a batch, and quotes it readably', () => {
    const bad = requestBoundsViolation({ events: [{ sourceId: 'ok' }, { sourceId: 'a\u0000b' }] });
    expect(bad).toMatchObject({ category: 'INVALID_ARGUMENT', code: 'REQUEST.CONTROL_CHARACTER', field: 'events[1].source_id' });
    expect(bad?.message).toContain('U+0000 at position 1');
    expect(bad?.message).toContain('"a\\\\u0000b"');
  });

  it('refuses a long value with its length, quoting only a prefix', () => {
    const long = 'x'.repeat(1_000_000);
    const bad = requestBoundsViolation({ period: long });
    expect(bad).toMatchObject({ code: 'REQUEST.TOO_LONG', field: 'period' });
    expect(bad?.message).toContain(`has 1000000 characters, at most ${MAX_STRING}`);
    expect(bad?.message.length).toBeLessThan(200);
  });

  it('lets a channel reference be longer than other fields, but not without bound', () => {
    expect(requestBoundsViolation({ binding: { reference: 'r'.repeat(10_000) } })).toBeNull();
    expect(requestBoundsViolation({ binding: { reference: 'r'.repeat(20_000) } })).toMatchObject({ field: 'binding.reference' });
  });

  it('refuses numbers that are not whole or beyond 2^53-1', () => {
    expect(requestBoundsViolation({ credits: 2 ** 53 })).toMatchObject({ code: 'REQUEST.NUMBER_OUT_OF_RANGE', field: 'credits' });
    expect(requestBoundsViolation({ quantity: 1.5 })).toMatchObject({ field: 'quantity' });
    expect(requestBoundsViolation({ quantity: Number.NaN })).toMatchObject({ field: 'quantity' });
    expect(requestBoundsViolation({ credits: 2 ** 53 - 1 })).toBeNull();
  });

  it('refuses times outside 0001..9999 and invalid ones', () => {
    expect(requestBoundsViolation({ now: new Date(Date.UTC(10000, 0, 1)) })).toMatchObject({ code: 'REQUEST.TIME_OUT_OF_RANGE', field: 'now' });
    expect(requestBoundsViolation({ now: new Date(Number.NaN) })).toMatchObject({ field: 'now' });
    expect(requestBoundsViolation({ now: new Date('0001-01-01T00:00:00Z') })).toBeNull();
  });
});

describe('quotePrefix', () => {
  it('shows at most 24 characters, escaping control characters', () => {
    expect(quotePrefix('short')).toBe('"short"');
    expect(quotePrefix('y'.repeat(100))).toBe(`"${'y'.repeat(24)}..."`);
    expect(quotePrefix('\u0007bell')).toBe('"\\\\u0007bell"');
  });
});
