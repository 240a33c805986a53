/** Words that may name an environment, resolved against the tenant's environments (fuzzy). */
import type { AnswerContext } from './answer.context';
import type { Reply } from './conversation.types';
import { matchEnvironment, type EnvironmentRef } from './environment.matcher';
import { environmentName } from './reply-format';

export type Resolved = { readonly env: EnvironmentRef | undefined } | { readonly reply: Reply };

export function unknownEnvironment(a: AnswerContext, words: string, suggestions: readonly EnvironmentRef[]): Reply {
  if (suggestions.length === 0) {
    return { title: `No environment "${words}"`, text: `${a.tenant.name} has no environments yet, so I can't find "${words}".`, tone: 'info', sections: [] };
  }
  const names = suggestions.map((s) => environmentName(s.environmentId, s.displayName));
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return {
    title: `No environment "${words}"`,
    text: `I couldn't find an environment called "${words}" in ${a.tenant.name}. Did you mean ${list}?`,
    tone: 'info',
    sections: [],
    suggestions: suggestions.map((s) => s.environmentId),
  };
}

export async function listEnvironmentRefs(a: AnswerContext): Promise<EnvironmentRef[]> {
  const { environments } = await a.core.admin.listEnvironments({ tenantId: a.tenant.tenantId });
  return environments;
}

/** No words: the whole tenant. Words: the environment they name, or a "did you mean" reply. */
export async function resolveEnvironment(a: AnswerContext, words: string): Promise<Resolved> {
  if (words === '') return { env: undefined };
  const m = matchEnvironment(words, await listEnvironmentRefs(a));
  return m.kind === 'match' ? { env: m.environment } : { reply: unknownEnvironment(a, words, m.suggestions) };
}

/** Like resolveEnvironment, but an environment is required: no words is a question back. */
export async function requireEnvironment(a: AnswerContext, words: string, role: string): Promise<{ env: EnvironmentRef } | { reply: Reply }> {
  if (words === '') {
    return { reply: { title: `Which environment?`, text: `I understood that you want to ${role}, but not which environment. Say it again with the environment's name.`, tone: 'info', sections: [] } };
  }
  const r = await resolveEnvironment(a, words);
  if ('reply' in r) return r;
  return r.env ? { env: r.env } : { reply: { title: 'Which environment?', text: `Which environment should I use to ${role}?`, tone: 'info', sections: [] } };
}
