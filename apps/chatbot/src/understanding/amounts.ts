/**
 * Amounts in people's words: "5k", "1.2 million", "20,000", "50 000", "one", "a million", "$5k". Found in the
 * lower-cased text before punctuation is dropped (the "." of "1.2" and the "," of "20,000" matter).
 */

export type Currency = 'USD' | 'EUR' | 'GBP';

export interface Amount {
  readonly value: number;
  /** The words it was read from, as typed (lower case). */
  readonly text: string;
  /** Set when the amount was money ("$5k", "500 euros"), which is not a number of credits. */
  readonly currency?: Currency;
  /** Where it was found in the text given to findAmounts. */
  readonly start: number;
  readonly end: number;
}

const SCALE: Record<string, number> = {
  k: 1_000,
  thousand: 1_000,
  thousands: 1_000,
  m: 1_000_000,
  mn: 1_000_000,
  mil: 1_000_000,
  million: 1_000_000,
  millions: 1_000_000,
  b: 1_000_000_000,
  bn: 1_000_000_000,
  billion: 1_000_000_000,
};

const WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  fifty: 50,
  hundred: 100,
};

const CURRENCY_SIGN: Record<string, Currency> = { $: 'USD', '€': 'EUR', '£': 'GBP' };
const CURRENCY_WORD: Record<string, Currency> = {
  usd: 'USD',
  dollar: 'USD',
  dollars: 'USD',
  bucks: 'USD',
  eur: 'EUR',
  euro: 'EUR',
  euros: 'EUR',
  gbp: 'GBP',
  pound: 'GBP',
  pounds: 'GBP',
};

const SCALES = Object.keys(SCALE).sort((a, b) => b.length - a.length).join('|');
const NUMBER_WORDS = Object.keys(WORDS).join('|');
const CURRENCY_WORDS = Object.keys(CURRENCY_WORD).join('|');

// [sign] digits (thousands by "," or a single space, or a decimal) [scale] [currency word]
const DIGITS = new RegExp(
  String.raw`(?:([$€£])\s?)?(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+(?!\d)|\d+(?:\.\d+)?)(?:\s?(${SCALES})(?![\p{L}\d]))?(?:\s?(${CURRENCY_WORDS})\b)?`,
  'gu',
);
// "a million", "one add-on", "two hundred thousand" is out of scope: one word, then an optional scale.
const SPELLED = new RegExp(String.raw`\b(${NUMBER_WORDS})\b(?:\s(${SCALES})\b)?(?:\s(${CURRENCY_WORDS})\b)?`, 'gu');

/** Every amount in `text` (lower case expected), in order of appearance. */
export function findAmounts(text: string): Amount[] {
  const found: Amount[] = [];
  for (const m of text.matchAll(DIGITS)) {
    const [whole, sign, digits = '', scale, word] = m;
    const start = m.index;
    // A digit glued to letters is part of a name ("env2", "q4"), not an amount.
    const before = text[start - 1] ?? ' ';
    if (/[\p{L}_-]/u.test(before) && sign === undefined) continue;
    const base = Number(digits.replace(/[, ]/g, ''));
    const value = Math.round(base * (scale ? (SCALE[scale] ?? 1) : 1));
    if (!Number.isFinite(value)) continue;
    const currency = sign ? CURRENCY_SIGN[sign] : word ? CURRENCY_WORD[word] : undefined;
    found.push({ value, text: whole.trim(), start, end: start + whole.length, ...(currency ? { currency } : {}) });
  }
  for (const m of text.matchAll(SPELLED)) {
    const [whole, w = '', scale, word] = m;
    const start = m.index;
    // "a" and "an" are amounts only before a scale ("a million"), not everywhere.
    if ((w === 'a' || w === 'an') && scale === undefined) continue;
    if (found.some((f) => start < f.end && f.start < start + whole.length)) continue;
    const value = (WORDS[w] ?? 0) * (scale ? (SCALE[scale] ?? 1) : 1);
    const currency = word ? CURRENCY_WORD[word] : undefined;
    found.push({ value, text: whole, start, end: start + whole.length, ...(currency ? { currency } : {}) });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The text with each amount replaced by `placeholder` (so the classifier sees "move #num from dev"). */
export function maskAmounts(text: string, amounts: readonly Amount[], placeholder = ' #num '): string {
  let out = '';
  let at = 0;
  for (const a of amounts) {
    out += text.slice(at, a.start) + placeholder;
    at = a.end;
  }
  return out + text.slice(at);
}
