/**
 * Understanding one message: the intent (classifier trained on the corpus) and the entities (amounts, periods,
 * currencies, users, the environments named, conditions). Pure: environments are matched later, against the
 * tenant's real ones, by the conversation service.
 */
import { findAmounts, maskAmounts, type Amount, type Currency } from './amounts';
import { IntentClassifier, type Scored } from './classifier';
import { foldCurrencyWords, saysNoBudget, toggleOf, type CreditCurrency, type Toggle } from './copilot-words';
import { CORPUS, type IntentName } from './corpus';
import { findPeriods, type PeriodRef } from './periods';
import { FILLER, contentWords, lowerText, normalizeText } from './text';

export type ListCondition = 'over' | 'near' | 'blocked' | 'unused';
export type TopGroup = 'users' | 'environments' | 'capabilities' | 'sources';

export interface Entities {
  /** Amounts of credits, in order (money amounts are in `money`). */
  readonly amounts: readonly number[];
  /** An amount given in money ("$5k"), which the bot does not convert. */
  readonly money?: { readonly value: number; readonly currency: Currency; readonly text: string };
  /** The period asked about; undefined: the current one. */
  readonly period?: PeriodRef;
  /** Words that may name an environment (or a user), fillers removed. */
  readonly subject: string;
  /** "from X to Y" of a move. */
  readonly from?: string;
  readonly to?: string;
  /** A user named by e-mail or by "did <name> use", "usage of <name>", "user <name>". */
  readonly user?: string;
  readonly condition?: ListCondition;
  readonly groups: readonly TopGroup[];
  /** The currency named ("Copilot Credits", "AI Builder credits"); none: AI Builder credits, as ever. */
  readonly currency?: CreditCurrency;
  /** A setting turned on or off ("turn off pay-as-you-go", "stop prod drawing from the tenant"). */
  readonly toggle?: Toggle;
  /** "with no budget", "unlimited": pay-as-you-go without a monthly budget. */
  readonly noBudget?: boolean;
}

export interface Understanding {
  readonly intent: IntentName;
  /** Posterior of the chosen intent. */
  readonly confidence: number;
  /** The next most likely intents (for "did you mean"). */
  readonly alternatives: readonly Scored<IntentName>[];
  /** Whether the classifier recognised anything at all. */
  readonly known: boolean;
  readonly entities: Entities;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;

/** The text the classifier sees: amounts, periods, e-mails and currency names masked, then normalised. */
export function maskedText(
  text: string,
  currentPeriod: string,
): { masked: string; amounts: Amount[]; periods: PeriodRef[]; users: string[]; lower: string; currency?: CreditCurrency } {
  const lower = lowerText(text);
  const users = [...lower.matchAll(EMAIL)].map((m) => m[0]);
  const folded = foldCurrencyWords(lower.replace(EMAIL, ' usertoken '));
  const withoutMail = folded.text;
  const periods = findPeriods(withoutMail, currentPeriod);
  let withoutPeriods = '';
  let at = 0;
  for (const p of periods) {
    withoutPeriods += `${withoutMail.slice(at, p.start)} periodtoken `;
    at = p.end;
  }
  withoutPeriods += withoutMail.slice(at);
  const amounts = findAmounts(withoutPeriods);
  const masked = normalizeText(maskAmounts(withoutPeriods, amounts, ' numtoken '));
  return { masked, amounts, periods, users, lower, ...(folded.currency ? { currency: folded.currency } : {}) };
}

const USER_PATTERNS: readonly RegExp[] = [
  /\b(?:did|has|had|does) (\S+) (?:use|used|consume|consumed|spend|spent|burn|burned|burnt)\b/,
  /\b(?:usage|consumption|spend) (?:of|for|by) (?:user )?(\S+)/,
  /\b(?:used|consumed|spent) by (?:user )?(\S+)/,
  /\buser (\S+)/,
  /\bwhat (?:did|has) (\S+)\b/,
  /^(\S+) usage\b/,
  /\bwhy (?:was|is|did|can|could) (\S+) (?:refused|denied|blocked|get|not|unable)\b/,
];

const NOT_A_USER = new Set(['i', 'we', 'you', 'it', 'the', 'my', 'our', 'this', 'that', 'dev', 'prod', 'sales', 'usertoken', 'numtoken', 'periodtoken', 'env', 'environment', 'we', 'they']);

function userOf(masked: string, emails: readonly string[]): string | undefined {
  if (emails[0] !== undefined) return emails[0];
  for (const re of USER_PATTERNS) {
    const name = re.exec(masked)?.[1];
    if (name !== undefined && !NOT_A_USER.has(name)) return name;
  }
  return undefined;
}

function conditionOf(t: string): ListCondition | undefined {
  if (/\b(unused|idle|untouched|not use|did not use|nothing used|have not used|zero usage)\b/.test(t)) return 'unused';
  if (/\bblocked?\b/.test(t)) return 'blocked';
  if (/\b(near|close to|warning|almost|running out)\b/.test(t)) return 'near';
  if (/\b(over|overage|exceed\w*|above)\b/.test(t)) return 'over';
  return undefined;
}

function groupsOf(t: string): TopGroup[] {
  const groups: TopGroup[] = [];
  if (/\b(who|users?|people|persons?|spenders|makers)\b/.test(t)) groups.push('users');
  if (/\b(environments?|envs?|where|which env\w*)\b/.test(t) || /^what\b|\bwhat (consumed|used|spent|burned|uses)\b/.test(t)) groups.push('environments');
  if (/\b(capabilit\w*|features?|models?)\b/.test(t)) groups.push('capabilities');
  if (/\b(sources?|come from|drawn from|draws?)\b/.test(t)) groups.push('sources');
  return groups;
}

/** "from dev to sales prod", "out of dev into prod", "take 10k from dev and give it to prod". */
function moveEnds(t: string): { from?: string; to?: string } {
  const m =
    /\b(?:from|out of) (.+?) (?:and give it |and put it |and )?(?:to|into|towards) (.+)$/.exec(t) ??
    /\bto (.+?) from (.+)$/.exec(t);
  if (m === null) return {};
  const [a, b] = /\bto (.+?) from (.+)$/.test(t) && !/\bfrom .+ to /.test(t) ? [m[2], m[1]] : [m[1], m[2]];
  const from = contentWords(a ?? '');
  const to = contentWords((b ?? '').replace(/\bwhat .*$|\bwould .*$/, ''));
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/**
 * Environment names are replaced by one token before classification, so that "sales prod" in a question says
 * "an environment" and not "a move" because the corpus happens to move credits to sales prod.
 */
export function maskEnvironments(normalized: string, names: readonly string[]): string {
  const forms = new Set<string>();
  for (const n of names) {
    const spaced = n.toLowerCase().replace(/[\s\-_./]+/g, ' ').trim();
    if (spaced === '') continue;
    forms.add(spaced);
    forms.add(spaced.replace(/ /g, ''));
    forms.add(n.toLowerCase());
  }
  let out = ` ${normalized.replace(/[-_]/g, ' ')} `;
  for (const f of [...forms].sort((a, b) => b.length - a.length)) {
    const spaced = f.replace(/[-_]/g, ' ');
    out = out.split(` ${spaced} `).join(' envtoken ');
  }
  // A part of a name ("prod" of "Sales Prod") names an environment too, unless it is a word of the questions.
  const parts = new Set([...forms].flatMap((f) => f.split(/[\s\-_]+/)).filter((w) => w.length >= 2 && !FILLER.has(w)));
  return out
    .split(' ')
    .map((w) => (parts.has(w) ? 'envtoken' : w))
    .filter((w, i, all) => w !== '' && !(w === 'envtoken' && all[i - 1] === 'envtoken'))
    .join(' ');
}

/** The environment names of the corpus phrasings (masked the same way when training). */
export const CORPUS_ENVIRONMENTS = ['sales prod', 'sales production', 'dev', 'hr test', 'hr', 'finance', 'marketing', 'prod', 'sales'];

/** The text the classifier learns from / sees: entities masked, environments masked. */
export const classifierText = (text: string, currentPeriod: string, environmentNames: readonly string[]): string =>
  maskEnvironments(maskedText(text, currentPeriod).masked, environmentNames);

const SHARED = new IntentClassifier(CORPUS.map((e) => ({ intent: e.intent, text: classifierText(e.text, '2026-11', CORPUS_ENVIRONMENTS) })));

/**
 * Trained once on the whole corpus; `environmentNames` are the tenant's (ids and display names); `classifier`
 * lets the corpus test train on the training part only.
 */
export function understand(
  text: string,
  currentPeriod: string,
  environmentNames: readonly string[] = [],
  classifier: IntentClassifier<IntentName> = SHARED,
): Understanding {
  const { masked, amounts, periods, users, lower, currency } = maskedText(text, currentPeriod);
  const classText = maskEnvironments(masked, environmentNames);
  const c = classifier.classify(classText);
  // A bare environment name ("sales prod") asks for its balance, as it always did.
  const bare = classText !== '' && classText.split(' ').every((w) => w === 'envtoken');
  const [best, ...rest] = bare ? [{ intent: 'balance' as const, probability: 1 }, ...c.ranked.filter((r) => r.intent !== 'balance')] : c.ranked;
  const intent = best?.intent ?? 'help';
  const user = userOf(normalizeText(lower.replace(EMAIL, (m) => m.replace(/[@.]/g, '_'))), users);
  const credits = amounts.filter((a) => a.currency === undefined).map((a) => a.value);
  const money = amounts.find((a) => a.currency !== undefined);
  const ends = moveEnds(masked);
  const userWord = user === undefined ? undefined : user.includes('@') ? 'usertoken' : user;
  const subject = contentWords(masked.split(' ').filter((w) => w !== userWord).join(' '));
  const condition = conditionOf(masked);
  const toggle = toggleOf(masked);
  return {
    intent,
    confidence: best?.probability ?? 0,
    alternatives: rest.slice(0, 3),
    known: c.knownFeatures > 0,
    entities: {
      amounts: credits,
      ...(money?.currency ? { money: { value: money.value, currency: money.currency, text: money.text } } : {}),
      ...(periods[0] ? { period: periods[0] } : {}),
      subject,
      ...ends,
      ...(user ? { user } : {}),
      ...(condition ? { condition } : {}),
      groups: groupsOf(masked),
      ...(currency ? { currency } : {}),
      ...(toggle ? { toggle } : {}),
      ...(saysNoBudget(masked) ? { noBudget: true } : {}),
    },
  };
}
