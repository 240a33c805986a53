import { describe, expect, it } from 'vitest';
import { IntentClassifier } from './classifier';
import { CORPUS, INTENT_NAMES } from './corpus';
import { CORPUS_ENVIRONMENTS, classifierText, understand } from './understand';

describe('intent corpus', () => {
  it('has at least 300 phrasings, every intent in both parts', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(300);
    for (const intent of INTENT_NAMES) {
      expect(CORPUS.filter((e) => e.intent === intent && e.heldOut).length, intent).toBeGreaterThan(0);
      expect(CORPUS.filter((e) => e.intent === intent && !e.heldOut).length, intent).toBeGreaterThan(5);
    }
  });

  it('classifies the held-out phrasings with at least 95% accuracy', () => {
    const prep = (text: string): string => classifierText(text, '2026-11', CORPUS_ENVIRONMENTS);
    const classifier = new IntentClassifier(CORPUS.filter((e) => !e.heldOut).map((e) => ({ intent: e.intent, text: prep(e.text) })));
    const held = CORPUS.filter((e) => e.heldOut);
    const wrong = held.filter((e) => understand(e.text, '2026-11', CORPUS_ENVIRONMENTS, classifier).intent !== e.intent);
    const accuracy = (held.length - wrong.length) / held.length;
    console.log(
      `intent corpus: ${CORPUS.length} phrasings, ${CORPUS.length - held.length} train / ${held.length} held out; ` +
        `held-out accuracy ${(accuracy * 100).toFixed(1)}% (${held.length - wrong.length}/${held.length})` +
        (wrong.length > 0 ? `; missed: ${wrong.map((e) => `"${e.text}" (${e.intent} → ${understand(e.text, '2026-11', CORPUS_ENVIRONMENTS, classifier).intent})`).join(', ')}` : ''),
    );
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });
});
