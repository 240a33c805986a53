/**
 * Periods in people's words: "last month", "this month", "in October", "October 2026", "2026-10", "two months
 * ago", "next month". A month without a year is the latest one that is not in the future.
 */

export interface PeriodRef {
  /** YYYY-MM; '' means the current period. */
  readonly period: string;
  /** True for a period after the current one (nothing to report yet). */
  readonly future: boolean;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const SHORT = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const AGO: Record<string, number> = { one: 1, a: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };

const pad = (n: number): string => String(n).padStart(2, '0');
const periodOf = (year: number, month: number): string => `${year}-${pad(month)}`;

/** The period `delta` months from `current` ('YYYY-MM'). */
export function shiftPeriod(current: string, delta: number): string {
  const [y, m] = current.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return periodOf(Math.floor(index / 12), (index % 12) + 1);
}

const monthIndex = (word: string): number => {
  const full = MONTHS.indexOf(word);
  if (full >= 0) return full + 1;
  const short = SHORT.indexOf(word.replace(/\.$/, '').slice(0, 3));
  return word.length <= 4 || word === 'sept' ? short + 1 : 0;
};

const MONTH_WORDS = [...MONTHS, ...SHORT, 'sept'].join('|');
const PATTERNS: ReadonlyArray<{ re: RegExp; read: (m: RegExpMatchArray, current: string) => string | undefined }> = [
  { re: /\b(?:last|previous|prior|past) (?:month|period)\b/gu, read: (_m, c) => shiftPeriod(c, -1) },
  { re: /\b(?:this|current|the current) (?:month|period)\b/gu, read: (_m, c) => c },
  { re: /\bnext (?:month|period)\b/gu, read: (_m, c) => shiftPeriod(c, 1) },
  { re: /\b(\d|one|a|two|three|four|five|six) months? ago\b/gu, read: (m, c) => shiftPeriod(c, -(AGO[m[1] ?? ''] ?? Number(m[1]))) },
  { re: /\b(20\d{2})[-/](0[1-9]|1[0-2])\b/gu, read: (m) => `${m[1]}-${m[2]}` },
  { re: /\b(0?[1-9]|1[0-2])\/(20\d{2})\b/gu, read: (m) => periodOf(Number(m[2]), Number(m[1])) },
  {
    re: new RegExp(String.raw`\b(${MONTH_WORDS})\.?(?:,? (20\d{2}))?\b`, 'gu'),
    read: (m, c) => {
      const month = monthIndex(m[1] ?? '');
      if (month === 0) return undefined;
      if (m[2]) return periodOf(Number(m[2]), month);
      const [cy, cm] = c.split('-').map(Number) as [number, number];
      return periodOf(month > cm ? cy - 1 : cy, month);
    },
  },
];

/** "may" alone is a month only where a month fits ("in may", "may 2026"), not in "may I". */
const ambiguousMay = (text: string, m: RegExpMatchArray): boolean =>
  m[1] === 'may' && m[2] === undefined && !/\b(in|for|during|of|since|from|until|to) $/.test(text.slice(0, m.index));

/** Every period in `text` (lower case), given the current period 'YYYY-MM' in the tenant's zone. */
export function findPeriods(text: string, current: string): PeriodRef[] {
  const found: PeriodRef[] = [];
  for (const p of PATTERNS) {
    for (const m of text.matchAll(p.re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (found.some((f) => start < f.end && f.start < end)) continue;
      if (ambiguousMay(text, m)) continue;
      const period = p.read(m, current);
      if (period === undefined) continue;
      found.push({ period: period === current ? '' : period, future: period > current, text: m[0], start, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
