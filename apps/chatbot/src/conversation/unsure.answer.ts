/** When the bot is not sure: what it understood, and the closest questions it can answer. Never a silent guess. */
import { formatCredits } from '@allot/domain';
import type { Reply } from './conversation.types';
import { CLOSEST_QUESTION, type IntentName } from '../understanding/corpus';
import type { Understanding } from '../understanding/understand';
import { formatPeriod } from './reply-format';
import { helpReply } from './help.answer';

/** "amount 50,000; period October 2026; the words 'hr test'". */
export function understoodParts(u: Understanding): string[] {
  const e = u.entities;
  const parts: string[] = [];
  if (e.amounts.length > 0) parts.push(`amount ${e.amounts.map(formatCredits).join(', ')}${e.currency === 'COPILOT' ? ' Copilot Credits' : ''}`);
  if (e.money) parts.push(`${e.money.text} in ${e.money.currency} (money, not credits)`);
  if (e.period) parts.push(`period ${e.period.period === '' ? 'this month' : formatPeriod(e.period.period)}`);
  if (e.from) parts.push(`from "${e.from}"`);
  if (e.to) parts.push(`to "${e.to}"`);
  if (e.user) parts.push(`user "${e.user}"`);
  if (e.subject && !e.from && !e.to && e.subject !== e.user) parts.push(`the words "${e.subject}"`);
  return parts;
}

export function unsureReply(text: string, u: Understanding, tenantName: string): Reply {
  const candidates: IntentName[] = [u.intent, ...u.alternatives.map((x) => x.intent)].filter((i) => i !== 'thanks' && i !== 'help').slice(0, 3);
  const parts = understoodParts(u);
  const understood = parts.length > 0 ? `I understood ${parts.join('; ')}, but not what you want to know or do.` : "I didn't recognise a question in that.";
  if (!u.known) {
    const help = helpReply(tenantName);
    return { title: "Sorry, I didn't get that", text: `I didn't understand "${text.trim().slice(0, 100)}". ${help.text}`, tone: 'info', sections: help.sections };
  }
  const closest = candidates.map((i) => CLOSEST_QUESTION[i]);
  return {
    title: "I'm not sure what you mean",
    text: `${understood} The closest questions I can answer:\n${closest.map((q) => `• ${q}`).join('\n')}\nNothing was changed.`,
    tone: 'info',
    sections: [],
  };
}

/** The intent is clear but a part is missing ("move 50k" without where to). */
export function missingPart(u: Understanding, intentWords: string, missing: string): Reply {
  const parts = understoodParts(u);
  return {
    title: `Missing ${missing}`,
    text: `I understood that you want to ${intentWords}${parts.length > 0 ? ` (${parts.join('; ')})` : ''}, but not ${missing}. Example: "${CLOSEST_QUESTION[u.intent]}". Nothing was changed.`,
    tone: 'info',
    sections: [],
  };
}
