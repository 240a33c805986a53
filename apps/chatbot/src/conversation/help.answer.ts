/** What the bot understands, as examples people can copy. */
import type { Reply } from './conversation.types';

export const EXAMPLES: readonly { readonly label: string; readonly value: string }[] = [
  { label: 'Balance', value: '"balance", "how many credits left in sales prod?", "balance dev"' },
  { label: 'Stages', value: '"status", "which environments are blocked?"' },
  { label: 'Top consumers', value: '"top users", "who used the most credits?", "what consumed most?"' },
  { label: 'Forecast', value: '"when will prod run out?", "forecast sales prod"' },
  { label: 'Trial', value: '"my trial"' },
  { label: 'Alerts (admins)', value: '"alerts here", "stop alerts"' },
];

export function helpReply(tenantName: string): Reply {
  return {
    title: 'What I can answer',
    text:
      `Ask me about ${tenantName}'s AI credits in plain words:\n` +
      EXAMPLES.map((e) => `• ${e.label}: ${e.value}`).join('\n') +
      '\nEnvironment names may be loose: "sales prod", "Sales-Prod" and "salesprod" all work.',
    tone: 'info',
    sections: [{ facts: EXAMPLES }],
  };
}

export function notUnderstood(text: string, tenantName: string): Reply {
  const help = helpReply(tenantName);
  return {
    title: "Sorry, I didn't get that",
    text: `I didn't understand "${text.trim().slice(0, 100)}". ${help.text}`,
    tone: 'info',
    sections: help.sections,
  };
}
