/**
 * The Copilot Credit side of answers and alerts (DUAL tenants, docs/licensing.md), in one place: the core sends
 * exact decimal strings ("8450.5"), people read "8,450.5 Copilot Credits". The core leaves every Copilot field unset
 * for CLASSIC tenants, and these helpers are only called when one is set, so CLASSIC replies read exactly as before.
 */
import type { CopilotBalance, Currency as WireCurrency } from '@allot/contracts';
import { Currency } from '@allot/contracts';
import { formatCopilotCredits, formatCredits, parseMillis } from '@allot/domain';
import type { Fact, ReplySection } from './conversation.types';
import { credits, progressBar, usagePercent } from './reply-format';

export const AI_BUILDER_LABEL = 'AI Builder credits';
export const COPILOT_LABEL = 'Copilot Credits';
/** What a scope with pay-as-you-go and no budget has left. */
export const NO_LIMIT = 'pay-as-you-go, no limit';

/**
 * Thousandths of a Copilot Credit of a wire amount ("7.5" → 7500, the domain's parseMillis); undefined when unset or
 * not a decimal. Not the domain's wireMillis, which turns whole credits into thousandths.
 */
export function wireMillis(amount: string | undefined): number | undefined {
  if (amount === undefined) return undefined;
  const parsed = parseMillis(amount.trim(), 'amount');
  return parsed.ok ? parsed.value : undefined;
}

/** "8,450.5": a wire amount for people (shown as sent if it is not a decimal; "0" when unset). */
export function copilotAmount(amount: string | undefined): string {
  const millis = wireMillis(amount);
  return millis === undefined ? (amount ?? '0') : formatCopilotCredits(millis);
}

/** "8,450.5 Copilot Credits" ("1 Copilot Credit"). */
export const copilotCredits = (amount: string | undefined): string =>
  `${copilotAmount(amount)} ${Math.abs(wireMillis(amount) ?? 0) === 1000 ? 'Copilot Credit' : COPILOT_LABEL}`;

/** True when a wire amount is more than zero ("0", "0.0", unset: false). */
export const isPositive = (amount: string | undefined): boolean => (wireMillis(amount) ?? 0) > 0;

/** "1,200 AI Builder credits": the AI Builder side of a reply that shows both currencies. */
export const aiBuilderCredits = (n: number): string => `${formatCredits(n)} AI Builder ${Math.abs(n) === 1 ? 'credit' : 'credits'}`;

/** AI Builder amounts in words: "credits" as ever alone (CLASSIC), "AI Builder credits" next to Copilot Credits. */
export const creditsIn = (dual: boolean): ((n: number) => string) => (dual ? aiBuilderCredits : credits);

/** Copilot Credits used and what may be drawn, in thousandths, for a bar; undefined without a limit. */
export function copilotProgress(c: { consumed: string; available?: string | undefined; unlimited: boolean }): { used: number; available: number } | undefined {
  const available = wireMillis(c.available);
  if (c.unlimited || available === undefined) return undefined;
  return { used: wireMillis(c.consumed) ?? 0, available };
}

/** "16,549.5 used, 66%" (no percentage when nothing may be drawn but something was). */
function usedWords(consumed: string, available: string | undefined): string {
  const p = usagePercent(wireMillis(consumed) ?? 0, wireMillis(available) ?? 0);
  return `${copilotAmount(consumed)} used${p === null ? '' : `, ${p}%`}`;
}

/**
 * "8,450.5 of 25,000 Copilot Credits left (16,549.5 used, 66%)", or without a limit
 * "16,549.5 Copilot Credits used (pay-as-you-go, no limit)".
 */
export function copilotLeftSentence(c: CopilotBalance): string {
  if (c.unlimited || c.remaining === undefined) return `${copilotCredits(c.consumed)} used (${NO_LIMIT})`;
  return `${copilotAmount(c.remaining)} of ${copilotCredits(c.available)} left (${usedWords(c.consumed, c.available)})`;
}

/** The compact value of a "Copilot Credits" fact: "8,450.5 of 25,000 left (16,549.5 used, 66%)". */
export function copilotLeftShort(c: CopilotBalance): string {
  if (c.unlimited || c.remaining === undefined) return `${NO_LIMIT} (${copilotAmount(c.consumed)} used)`;
  return `${copilotAmount(c.remaining)} of ${copilotAmount(c.available)} left (${usedWords(c.consumed, c.available)})`;
}

/** The figures of a Copilot balance, labelled like the AI Builder ones (for a section headed "Copilot Credits"). */
export function copilotBalanceFacts(c: CopilotBalance): Fact[] {
  const limited = !c.unlimited && c.remaining !== undefined;
  const facts: Fact[] = [
    { label: 'Remaining', value: limited ? copilotCredits(c.remaining) : NO_LIMIT },
    { label: 'Consumed', value: copilotCredits(c.consumed) },
  ];
  if (limited) facts.push({ label: 'Available', value: copilotCredits(c.available) });
  if (isPositive(c.overage)) facts.push({ label: 'Overage', value: copilotCredits(c.overage) });
  return facts;
}

/** "Copilot Credit" or "AI Builder credit" (the words before "cap"), "credit" when the alert names no currency. */
export function currencyNoun(currency: WireCurrency | undefined): string {
  if (currency === Currency.CURRENCY_COPILOT) return 'Copilot Credit';
  if (currency === Currency.CURRENCY_AI_BUILDER) return 'AI Builder credit';
  return 'credit';
}

/** One bar of a section; labelled when the two currencies are shown side by side. */
export interface LabelledBar {
  readonly label?: string;
  readonly used: number;
  readonly available: number;
}

/** The bars of a section, in the order every renderer draws them: AI Builder credits, then Copilot Credits. */
export function sectionBars(s: Pick<ReplySection, 'progress' | 'copilotProgress'>): LabelledBar[] {
  const bars: LabelledBar[] = [];
  if (s.progress) bars.push(s.copilotProgress ? { label: AI_BUILDER_LABEL, ...s.progress } : s.progress);
  if (s.copilotProgress) bars.push({ label: COPILOT_LABEL, ...s.copilotProgress });
  return bars;
}

/** "Copilot Credits ▓▓▓▓▓▓░░░░ 66%" (just the bar when it is alone). */
export const barLine = (b: LabelledBar): string => `${b.label ? `${b.label} ` : ''}${progressBar(b.used, b.available)}`;

/** The bar lines of a text fallback: one line per bar. */
export const barsText = (s: Pick<ReplySection, 'progress' | 'copilotProgress'>): string => sectionBars(s).map(barLine).join('\n');
