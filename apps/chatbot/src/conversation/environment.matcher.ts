/**
 * Fuzzy environment names: "sales prod", "Sales-Prod", "salesprod", "slaes prod" and "Sales Production" all
 * find the environment `sales-prod`. Ids and display names are both candidates; names are compared after
 * normalising case and separators, by token overlap (with prefixes and typos) and by edit distance of the
 * whole name. A weak or ambiguous match is not guessed: the caller gets ranked suggestions instead.
 */

export interface EnvironmentRef {
  readonly environmentId: string;
  readonly displayName: string;
}

export type EnvironmentMatch =
  | { readonly kind: 'match'; readonly environment: EnvironmentRef; readonly score: number }
  | { readonly kind: 'no-match'; readonly suggestions: readonly EnvironmentRef[] };

/** Lower case, separators (space, dash, underscore, dot, slash) collapsed to one space. */
export function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[\s\-_./]+/g, ' ')
    .replace(/[^\p{L}\p{N} ]+/gu, '')
    .trim();
}

const tokens = (name: string): string[] => normalizeName(name).split(' ').filter((t) => t.length > 0);
const compact = (name: string): string => normalizeName(name).replace(/ /g, '');

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("slaes" -> "sales" is 1). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    const prev = d[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** 1 for equal strings, 0 for nothing in common. */
const stringSimilarity = (a: string, b: string): number => {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - editDistance(a, b) / longest;
};

/** Similarity of two words: exact 1, a prefix of 3+ letters ("prod" of "production") 0.9, typos by edit distance. */
function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (Math.min(a.length, b.length) >= 3 && (a.startsWith(b) || b.startsWith(a))) return 0.9;
  const s = stringSimilarity(a, b);
  // One typo in a short word ("dev" vs "div") is still a hint; below that it is noise.
  return s >= 0.6 ? s : 0;
}

/**
 * How well the query names the candidate, 0..1. Token overlap weighs coverage of the candidate's words more
 * than coverage of the query's (a stray word in a question hurts less than a missing part of the name).
 */
export function nameScore(query: string, candidate: string): number {
  const q = tokens(query);
  const c = tokens(candidate);
  if (q.length === 0 || c.length === 0) return 0;
  if (compact(query) === compact(candidate)) return 1;
  const bestFor = (from: string[], to: string[]): number =>
    from.reduce((sum, w) => sum + Math.max(...to.map((x) => tokenSimilarity(w, x))), 0) / from.length;
  const overlap = 0.35 * bestFor(q, c) + 0.65 * bestFor(c, q);
  const whole = stringSimilarity(compact(query), compact(candidate));
  return Math.max(overlap, whole >= 0.6 ? whole : 0);
}

/** Score of an environment: the better of its id and its display name. */
export function environmentScore(query: string, env: EnvironmentRef): number {
  return Math.max(nameScore(query, env.environmentId), env.displayName ? nameScore(query, env.displayName) : 0);
}

const ACCEPT = 0.85;
const ACCEPT_IF_DISTINCT = 0.55;
const DISTINCT_BY = 0.2;

/**
 * Finds the environment a query names. Accepted: a strong match (>= 0.85, clearly ahead of the next one), or a
 * fair one (>= 0.55) that no other environment comes close to. Otherwise: up to `limit` suggestions, best first.
 */
export function matchEnvironment(query: string, environments: readonly EnvironmentRef[], limit = 3): EnvironmentMatch {
  const ranked = environments
    .map((environment) => ({ environment, score: environmentScore(query, environment) }))
    .sort((a, b) => b.score - a.score || a.environment.environmentId.localeCompare(b.environment.environmentId));
  const [best, second] = ranked;
  if (best !== undefined) {
    const lead = best.score - (second?.score ?? 0);
    const exact = best.score === 1 && (second?.score ?? 0) < 1;
    if (exact || (best.score >= ACCEPT && lead > 0.05) || (best.score >= ACCEPT_IF_DISTINCT && lead >= DISTINCT_BY)) {
      return { kind: 'match', environment: best.environment, score: best.score };
    }
  }
  return { kind: 'no-match', suggestions: ranked.slice(0, limit).map((r) => r.environment) };
}
