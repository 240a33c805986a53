/**
 * The deterministic parser: plain words in, an intent and the words that may name an environment out.
 * No LLM: keyword rules tolerant of case, punctuation and phrasing, checked in a fixed order so that
 * "who used the most credits" is a ranking (not a balance) and "stop alerts here" unbinds (not binds).
 */

export type TopGroup = 'users' | 'environments' | 'capabilities';

/** Which month a question is about: the current one unless it says "last month". */
export type MonthRef = 'current' | 'previous';

export type Intent =
  | { readonly kind: 'help' }
  | { readonly kind: 'thanks' }
  | { readonly kind: 'balance'; readonly environment: string; readonly month: MonthRef }
  | { readonly kind: 'status'; readonly environment: string; readonly month: MonthRef; readonly only?: 'blocked' | 'overage' | 'warning' }
  | {
      readonly kind: 'top';
      readonly groups: readonly TopGroup[];
      readonly environment: string;
      readonly month: MonthRef;
      /** "top 3 users"; 5 when unsaid. */
      readonly limit: number;
    }
  | { readonly kind: 'forecast'; readonly environment: string }
  | { readonly kind: 'trial' }
  | { readonly kind: 'bind-alerts' }
  | { readonly kind: 'unbind-alerts' }
  /** No keyword matched: the words may still be an environment's name ("sales prod" alone = its balance). */
  | { readonly kind: 'unknown'; readonly environment: string };

/** Lower case, curly quotes straightened, punctuation dropped (dashes and underscores inside names kept). */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b`´]/g, "'")
    .replace(/<@[^>]+>/g, ' ') // Slack mentions of the bot
    .replace(/'s\b/g, ' ') // "what's" -> "what", "prod's" -> "prod"
    .replace(/n't\b/g, ' not')
    .replace(/[^\p{L}\p{N}\s_-]+/gu, ' ')
    .replace(/(^|\s)[-_]+|[-_]+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const words = (normalized: string): string[] => (normalized === '' ? [] : normalized.split(' '));

/** Words that carry no environment name: question words, fillers, and the words of every intent. */
const FILLER = new Set(
  `a an the of in on at for to from by with about and or is are was were be been being am do does did done doing
  how many much what which who whom whose when where why will would shall should can could may might must
  i me my we us our you your it its this that these those there here they them their
  please pls plz thanks thank thx hi hello hey yo ok okay so just now right currently current still yet again
  tell show give get got gimme let know see check display list find say whats
  credit credits balance balances left remaining remain remains over available availability capacity
  quota quotas allowance budget budgets usage use used using consume consumed consuming consumption spent spend
  status stage stages state health healthy overview summary report environment environments env envs
  tenant tenants whole total overall all every everything entire org organisation organization company workspace
  have has had having month months monthly period today week this
  top most biggest largest heaviest highest greatest user users people person who consumers consumer
  ranking rank ranked leaderboard spender spenders capability capabilities feature features model models
  forecast forecasts projection projected project predict prediction run runs running out last lasting
  exhaust exhausted exhaustion burn rate long until till before end ends expected going
  blocked block overage warning warnings trouble problem problems limit limits near
  trial trials free previous prior past
  is much many any some more`.split(/\s+/),
);

/** Words (after removing fillers) that name an environment, joined by single spaces. */
export function environmentWords(normalized: string): string {
  return words(normalized)
    .filter((w) => !FILLER.has(w))
    .join(' ');
}

const has = (text: string, pattern: RegExp): boolean => pattern.test(text);

/** Parses one message into an intent. */
export function parseIntent(text: string): Intent {
  const t = normalizeText(text);
  const env = environmentWords(t);
  const month: MonthRef = has(t, /\b(last|previous|prior|past) (month|period)\b/) ? 'previous' : 'current';

  if (t === '' || has(t, /^(help|h|commands?|menu|usage help|what can you do|how does this work|start|hi|hello|hey)$/) || has(t, /\bhelp\b|what can you (do|answer)/)) {
    return { kind: 'help' };
  }
  if (env === '' && has(t, /^(thanks?|thank you|thx|ty|cheers|ok|okay|cool|great|nice|perfect|awesome)\b/)) return { kind: 'thanks' };
  // Unbinding first: "stop alerts here" mentions both "alerts" and "here".
  if (
    has(t, /\b(stop|no more|disable|mute|silence|unsubscribe|unbind|turn off|remove|cancel|pause)\b.*\b(alerts?|notifications?)\b/) ||
    has(t, /\b(alerts?|notifications?)\b.*\b(off|stop|elsewhere|not here)\b/) ||
    has(t, /^(unsubscribe|unbind)\b/)
  ) {
    return { kind: 'unbind-alerts' };
  }
  if (
    has(t, /\b(alerts?|notifications?)\b.*\b(here|this channel|this chat|this conversation|to me)\b/) ||
    has(t, /\b(subscribe|bind|enable|turn on|start)\b.*\b(alerts?|notifications?|here|channel)\b/) ||
    has(t, /^(subscribe|bind)$/)
  ) {
    return { kind: 'bind-alerts' };
  }
  if (has(t, /\btrials?\b/)) return { kind: 'trial' };
  if (
    has(t, /\b(forecasts?|projections?|projected|predict|prediction|burn rate|exhaust\w*)\b/) ||
    has(t, /\b(run|runs|running|ran)( us)? out\b/) ||
    has(t, /\bhow long\b|\blast (until|till|the month|the period|this month)\b|\bwill (it|they|we|credits?|\w+) last\b/)
  ) {
    return { kind: 'forecast', environment: env };
  }
  if (
    has(t, /\b(top|most|biggest|largest|heaviest|highest|greatest|ranking|leaderboard|rank)\b/) ||
    has(t, /\bwho (used|consumed|spent|burned|burnt|is using|uses)\b/) ||
    has(t, /\b(which|what) (users?|people|capabilit\w*|features?)\b.*\b(used|consumed|spent|use|consume)\b/) ||
    has(t, /\b(consumers|spenders)\b/)
  ) {
    const n = /\btop (\d{1,2})\b/.exec(t);
    const limit = n ? Math.max(1, Math.min(20, Number(n[1]))) : 5;
    return { kind: 'top', groups: topGroups(t), environment: env.replace(/\b\d+\b/g, ' ').replace(/\s+/g, ' ').trim(), month, limit };
  }
  if (has(t, /\b(status|stages?|states?|health|overview|summary|blocked|overage|warning|trouble|problems?)\b/) || has(t, /^(list )?(environments|envs)$/)) {
    const only = has(t, /\bblocked\b/) ? 'blocked' : has(t, /\boverage\b/) ? 'overage' : has(t, /\bwarning\b/) ? 'warning' : undefined;
    return only ? { kind: 'status', environment: env, month, only } : { kind: 'status', environment: env, month };
  }
  if (
    has(t, /\b(balances?|credits?|left|remaining|remains?|available|capacity|quotas?|allowance|budgets?|usage|used|consumed|consumption|spent)\b/) ||
    has(t, /\bhow (much|many)\b/)
  ) {
    return { kind: 'balance', environment: env, month };
  }
  return { kind: 'unknown', environment: env };
}

/** Which rankings a "top" question asks for: users for "who", environments for "what/where", else both. */
function topGroups(t: string): TopGroup[] {
  const groups: TopGroup[] = [];
  if (has(t, /\b(who|users?|people|persons?|spenders|makers)\b/)) groups.push('users');
  if (has(t, /\b(environments?|envs?|where|which env\w*)\b/) || has(t, /^what\b|\bwhat (consumed|used|spent|burned|uses)\b/)) groups.push('environments');
  if (has(t, /\b(capabilit\w*|features?|models?)\b/)) groups.push('capabilities');
  return groups.length > 0 ? groups : ['users', 'environments'];
}
