/**
 * SOURCE_LIMIT_WARNING and SOURCE_LIMIT_EXCEEDED: one app or flow near or at its cap in an environment
 * (SetSourceLimit, docs/licensing.md "Source limits"), e.g. "The app or flow 'invoice-bot' in Production (prod)
 * used 82% of its 1,000 Copilot Credit cap". Source limits exist under both licensing models.
 */
import { AlertKind, Currency } from '@allot/contracts';
import type { Alert } from '@allot/contracts';
import { formatCopilotCredits } from '@allot/domain';
import type { Fact, Reply } from './conversation.types';
import { usagePercent } from './reply-format';
import { wireMillis, currencyNoun } from './copilot-format';
import { periodFact, scopeName, withCoreMessage } from './alert-parts';

/** The source's consumption and cap in thousandths of the cap's currency; undefined when the alert has no amounts. */
interface CapUse {
  readonly used: number;
  readonly cap: number;
}

/**
 * A Copilot cap's amounts are the decimal strings (copilot_consumed, copilot_available); an AI Builder cap's are
 * consumed and available, or the decimal strings when the core sent only those.
 */
function capUse(a: Alert): CapUse | undefined {
  const strings = { used: wireMillis(a.copilotConsumed), cap: wireMillis(a.copilotAvailable) };
  const whole = { used: a.consumed * 1000, cap: a.available * 1000 };
  const preferStrings = a.currency === Currency.CURRENCY_COPILOT || (a.consumed === 0 && a.available === 0);
  const used = preferStrings ? (strings.used ?? whole.used) : whole.used;
  const cap = preferStrings ? (strings.cap ?? whole.cap) : whole.cap;
  return cap > 0 || used > 0 ? { used, cap } : undefined;
}

/** "820 Copilot Credits", "1 AI Builder credit", "4,100 credits". */
const amountIn = (millis: number, noun: string): string => `${formatCopilotCredits(millis)} ${millis === 1000 ? noun : `${noun}s`}`;

export function sourceLimitAlert(a: Alert): Reply {
  const exceeded = a.kind === AlertKind.ALERT_KIND_SOURCE_LIMIT_EXCEEDED;
  const who = a.source ? `The app or flow '${a.source}'` : 'An app or flow';
  const where = scopeName(a);
  const noun = currencyNoun(a.currency);
  const use = capUse(a);
  const percent = use ? usagePercent(use.used, use.cap) : null;
  const capWords = use ? `its ${formatCopilotCredits(use.cap)} ${noun} cap` : 'its cap';
  const usedWords = use ? `${formatCopilotCredits(use.used)} of ${amountIn(use.cap, noun)}` : '';
  const month = a.period ? ' this month' : '';

  const facts: Fact[] = [
    { label: 'App or flow', value: a.source || 'not named' },
    { label: 'Environment', value: where },
    ...(use ? [{ label: 'Used', value: usedWords }, { label: 'Usage', value: percent === null ? 'no cap left' : `${percent}%` }] : []),
    ...periodFact(a),
  ];
  const bar = use && use.cap > 0 ? { used: use.used, available: use.cap } : undefined;
  const section = { facts, ...(bar ? (a.currency === Currency.CURRENCY_COPILOT ? { copilotProgress: bar } : { progress: bar }) : {}) };

  if (exceeded) {
    const text =
      `${who} in ${where} reached ${capWords}${month}${use ? ` (${usedWords})` : ''}: its runs there are refused until an admin ` +
      `raises the cap or the month ends. The rest of ${where} goes on.`;
    return { title: `${a.source || 'An app or flow'} reached its cap in ${where}`, text: use ? text : withCoreMessage(text, a), tone: 'blocked', sections: [section] };
  }
  const text =
    (use ? `${who} in ${where} used ${percent === null ? 'all' : `${percent}%`} of ${capWords}${month} (${usedWords}). ` : `${who} in ${where} is near its cap${month}. `) +
    `At the cap its runs are refused while the rest of ${where} goes on; an admin may raise the cap.`;
  return { title: `${a.source || 'An app or flow'} is near its cap in ${where}`, text: use ? text : withCoreMessage(text, a), tone: 'warning', sections: [section] };
}
