/**
 * The corpus: every phrasing the classifier learns from, with a fixed train/test split. Every fifth phrasing of
 * each intent (the 3rd, 8th, 13th, ...) is held out for the accuracy test and never trained on in that test; the
 * bot itself trains on all of them.
 */
import type { Example } from './classifier';
import { ACTION_PHRASINGS } from './corpus-actions';
import { QUESTION_PHRASINGS } from './corpus-questions';

const PHRASINGS = { ...QUESTION_PHRASINGS, ...ACTION_PHRASINGS };

export type IntentName = keyof typeof PHRASINGS;

export const INTENT_NAMES = Object.keys(PHRASINGS) as IntentName[];

export interface SplitExample extends Example<IntentName> {
  readonly heldOut: boolean;
}

export const CORPUS: readonly SplitExample[] = INTENT_NAMES.flatMap((intent) =>
  (PHRASINGS[intent] as readonly string[]).map((text, i) => ({ intent, text, heldOut: i % 5 === 2 })),
);

/** A representative question per intent, offered when the bot is unsure. */
export const CLOSEST_QUESTION: Record<IntentName, string> = {
  help: 'help',
  thanks: 'thanks',
  balance: 'how many credits are left in <environment>?',
  status: 'status of every environment',
  list: 'which environments are over budget / near the limit / blocked / have unused allocations?',
  user_usage: 'how much did <user> use (in <environment>)?',
  top: 'top consumers by environment / by user / by source',
  why: 'why is <environment> blocked?',
  capacity: 'how much is allocated and unassigned?',
  forecast: 'when will <environment> run out?',
  trial: 'my trial',
  whatif_move: 'what if I move 50k from <environment> to <environment>?',
  whatif_add: 'what if we add one capacity add-on?',
  whatif_end: 'what if the add-on ends?',
  set_allocation: 'set <environment> to 50k',
  raise_allocation: 'give <environment> 10k more credits',
  lower_allocation: 'lower <environment> by 10k',
  move_credits: 'move 50k from <environment> to <environment>',
  copilot_payg: 'turn on pay-as-you-go for <environment> with a budget of 5,000',
  copilot_tenant_draw: 'stop <environment> drawing Copilot Credits from the tenant',
  bind_alerts: 'alerts here',
  unbind_alerts: 'stop alerts',
  capacity_request: 'I need 50k more for <environment> this month',
};
