/** What the renderers of every alert kind share: the scope's name, the period fact, and the Copilot Credit side (DUAL). */
import type { Alert } from '@allot/contracts';
import type { Fact } from './conversation.types';
import { environmentName, formatPeriod, usagePercent } from './reply-format';
import { NO_LIMIT, copilotAmount, copilotCredits, wireMillis } from './copilot-format';

/** Alerts carry no zone; dates are shown as UTC days. */
export const ZONE = 'UTC';

export const scopeName = (a: Alert): string =>
  a.environmentId ? environmentName(a.environmentId, a.environmentDisplayName) : `${a.tenantId}'s shared pool`;

export const periodFact = (a: Alert): Fact[] => (a.period ? [{ label: 'Period', value: formatPeriod(a.period) }] : []);

export const withCoreMessage = (text: string, a: Alert): string =>
  a.message && !text.includes(a.message) ? `${text}\n${a.message}` : text;

/** The scope's Copilot Credits when the alert was raised (DUAL only); no `available`: pay-as-you-go without a limit. */
export interface AlertCopilot {
  readonly consumed: string;
  readonly available: string | undefined;
}

/** Set when the core filled the alert's Copilot fields, i.e. the tenant is DUAL. */
export function alertCopilot(a: Alert): AlertCopilot | undefined {
  if (a.copilotConsumed === undefined && a.copilotAvailable === undefined) return undefined;
  return { consumed: a.copilotConsumed ?? '0', available: a.copilotAvailable };
}

/** "1,234.5 of 25,000 Copilot Credits (4%)", or "1,234.5 Copilot Credits (pay-as-you-go, no limit)". */
export function copilotUsedWords(c: AlertCopilot): string {
  if (c.available === undefined) return `${copilotCredits(c.consumed)} (${NO_LIMIT})`;
  const p = usagePercent(wireMillis(c.consumed) ?? 0, wireMillis(c.available) ?? 0);
  return `${copilotAmount(c.consumed)} of ${copilotCredits(c.available)} (${p === null ? 'none available' : `${p}%`})`;
}

/** The bar of the Copilot side, in thousandths; none without a limit. */
export function copilotBar(c: AlertCopilot): { used: number; available: number } | undefined {
  const available = wireMillis(c.available);
  return available === undefined ? undefined : { used: wireMillis(c.consumed) ?? 0, available };
}

/** The facts of the Copilot side: "Copilot Credits: 1,234.5 of 25,000 Copilot Credits (4%)". */
export const copilotFacts = (c: AlertCopilot): Fact[] => [{ label: 'Copilot Credits', value: copilotUsedWords(c) }];
