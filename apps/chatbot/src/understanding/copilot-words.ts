/**
 * The words of Copilot Credit actions (DUAL tenants, docs/licensing.md): the currency an amount is in ("20,000
 * Copilot Credits", "AI Builder credits"), "pay-as-you-go" in any spelling, whether a setting is turned on or off,
 * and a budget that is no budget ("unlimited"). The currency words are taken out of the text the classifier sees,
 * like an amount: "allocate 20,000 Copilot Credits to prod" then has the shape of "allocate 20,000 credits to prod",
 * so every question and action keeps its intent whatever currency it names.
 */

/** The currency of an allocation or a move; none named: AI Builder credits, as ever. */
export type CreditCurrency = 'AI_BUILDER' | 'COPILOT';
export type Toggle = 'on' | 'off';

/**
 * A currency is named only before the word it qualifies ("Copilot Credits", "Copilot allocation", "the tenant's
 * Copilot pool"), so an environment called "Copilot Studio" keeps its name and names no currency.
 */
const QUALIFIED = String.raw`(?=[\s-]+(?:credits?|allocations?|pool|packs?|capacity|budget)\b)`;
const CURRENCY_WORDS: readonly (readonly [RegExp, CreditCurrency])[] = [
  [new RegExp(String.raw`\b(?:microsoft\s+)?copilot${QUALIFIED}`, 'g'), 'COPILOT'],
  [new RegExp(String.raw`\bai[\s-]?builder${QUALIFIED}`, 'g'), 'AI_BUILDER'],
];

/** "pay-as-you-go", "pay as you go", "PAYG", "pay per use": one word for the classifier. */
const PAYG = /\bpay[\s-]*as[\s-]*you[\s-]*go\b|\bpay[\s-]*per[\s-]*use\b|\bpayg\b/g;
export const PAYG_WORD = 'payg';

/** The text (lower case) with pay-as-you-go as one word and the currency words taken out; the first currency named. */
export function foldCurrencyWords(lower: string): { text: string; currency?: CreditCurrency } {
  let text = lower.replace(PAYG, ` ${PAYG_WORD} `);
  let first: { at: number; currency: CreditCurrency } | undefined;
  for (const [re, currency] of CURRENCY_WORDS) {
    const at = text.search(re);
    if (at >= 0 && (first === undefined || at < first.at)) first = { at, currency };
    text = text.replace(re, ' ');
  }
  return first === undefined ? { text } : { text, currency: first.currency };
}

const OFF = /\b(?:off|stop|stops|stopped|disable|disabled|deactivate|never|pause|cancel|prevent|forbid|block)\b|\bno (?:longer|more)\b|\bnot\b(?! (?:capped|limited))/;
const ON = /\b(?:on|enable|enabled|activate|start|allow|let|resume|again|back)\b/;

/** Of normalised text: "turn off …", "stop prod drawing …", "don't let …" are off; "turn on …", "let prod … again" on. */
export function toggleOf(normalized: string): Toggle | undefined {
  if (OFF.test(normalized)) return 'off';
  return ON.test(normalized) ? 'on' : undefined;
}

const NO_BUDGET =
  /\b(?:unlimited|uncapped)\b|\bno (?:budget|limit|cap)\b|\bwithout (?:a |any )?(?:budget|limit|cap)\b|\bnot (?:capped|limited)\b|\b(?:remove|drop|clear)\b.*\b(?:budget|limit|cap)\b/;

/** "with no budget", "unlimited", "remove the budget": pay-as-you-go without a monthly budget. */
export const saysNoBudget = (normalized: string): boolean => NO_BUDGET.test(normalized);
