/**
 * Intent classification trained in process from the example phrasings of the corpus: a multinomial naive Bayes
 * over words and word pairs of the masked text (amounts, periods and e-mail addresses replaced by a token each),
 * with add-one smoothing. Deterministic, no model to download, trains in milliseconds.
 */
import { canonicalWord } from './lexicon';

export interface Example<I extends string> {
  readonly intent: I;
  readonly text: string;
}

export interface Scored<I extends string> {
  readonly intent: I;
  /** Posterior probability, 0..1 (they sum to 1 over all intents). */
  readonly probability: number;
}

export interface Classification<I extends string> {
  /** Best first. */
  readonly ranked: readonly Scored<I>[];
  /** How many of the message's features the corpus has ever seen (0: nothing known was said). */
  readonly knownFeatures: number;
}

/** Small words that carry no intent on their own; dropped from unigrams (they still shape pairs). */
const STOP = new Set(['the', 'a', 'an', 'please', 'pls', 'me', 'us', 'our', 'we', 'i', 'my', 'of', 'for', 'on', 'at', 'is', 'are', 'do', 'does', 'can', 'you', 'hey', 'hi']);

/** Features of a masked, normalised text: its words (minus stop words) and adjacent word pairs. */
export function features(text: string): string[] {
  const words = text.split(' ').filter((w) => w !== '').map(canonicalWord);
  const out = words.filter((w) => !STOP.has(w));
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]}_${words[i + 1]}`);
  if (words.length > 0) out.push(`^${words[0]}`);
  return out;
}

export class IntentClassifier<I extends string> {
  private readonly intents: I[] = [];
  private readonly logPrior = new Map<I, number>();
  private readonly counts = new Map<I, Map<string, number>>();
  private readonly totals = new Map<I, number>();
  private readonly vocabulary = new Set<string>();

  constructor(examples: readonly Example<I>[]) {
    const perIntent = new Map<I, number>();
    for (const e of examples) {
      perIntent.set(e.intent, (perIntent.get(e.intent) ?? 0) + 1);
      let c = this.counts.get(e.intent);
      if (c === undefined) {
        c = new Map();
        this.counts.set(e.intent, c);
      }
      for (const f of features(e.text)) {
        c.set(f, (c.get(f) ?? 0) + 1);
        this.totals.set(e.intent, (this.totals.get(e.intent) ?? 0) + 1);
        this.vocabulary.add(f);
      }
    }
    for (const [intent, n] of perIntent) {
      this.intents.push(intent);
      // A uniform prior: an intent with more examples must not win every unclear message.
      this.logPrior.set(intent, n > 0 ? 0 : -Infinity);
    }
  }

  classify(text: string): Classification<I> {
    const fs = features(text).filter((f) => this.vocabulary.has(f));
    const v = this.vocabulary.size;
    const scores = this.intents.map((intent) => {
      const c = this.counts.get(intent) as Map<string, number>;
      const total = this.totals.get(intent) ?? 0;
      let s = this.logPrior.get(intent) ?? 0;
      for (const f of fs) s += Math.log(((c.get(f) ?? 0) + 1) / (total + v));
      return { intent, score: s };
    });
    const max = Math.max(...scores.map((s) => s.score));
    const exp = scores.map((s) => ({ intent: s.intent, e: Math.exp(s.score - max) }));
    const sum = exp.reduce((a, b) => a + b.e, 0);
    const ranked = exp.map((x) => ({ intent: x.intent, probability: x.e / sum })).sort((a, b) => b.probability - a.probability);
    return { ranked, knownFeatures: fs.length };
  }
}
