/** What the bot understands, as examples people can copy. */
import type { Reply } from './conversation.types';

export const EXAMPLES: readonly { readonly label: string; readonly value: string }[] = [
  { label: 'Balance', value: '"balance", "how many credits left in sales prod?", "balance dev last month"' },
  { label: 'Stages', value: '"status", "which environments are over budget / near the limit / blocked?", "unused allocations"' },
  { label: 'Top consumers', value: '"top users", "top environments", "top consumers by source", "who used the most in October?"' },
  { label: 'Users', value: '"how much did ada use?", "how much did ada use in sales prod?"' },
  { label: 'Why', value: '"why is hr test blocked?"' },
  { label: 'Capacity', value: '"how much is allocated and unassigned?"' },
  { label: 'Forecast', value: '"when will prod run out?", "forecast sales prod"' },
  { label: 'What if', value: '"what if I move 50k from dev to sales prod?", "what if we add one add-on?", "what if the add-on ends?"' },
  { label: 'Changes (admins, with yes/no)', value: '"give sales prod 100k more", "set dev to 50k", "lower dev by 10k", "move 50k from dev to sales prod"' },
  {
    label: 'Copilot Credits (DUAL tenants, admins, with yes/no)',
    value: '"allocate 20,000 Copilot Credits to prod", "move 5,000 Copilot Credits from dev to prod", "turn on pay-as-you-go for prod with a budget of 5,000", "turn off pay-as-you-go for prod", "stop prod drawing Copilot Credits from the tenant"',
  },
  { label: 'Ask for credits', value: '"I need 50k more for sales prod this month" (the admins approve or deny)' },
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
