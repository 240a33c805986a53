/** Adding one event's draws to an environment's usage of a period: the one rule shared by live recording, journal replay and Reconcile. */
import type { CopilotUsage, Draw, EnvironmentUsage, SourceUsage } from './tenant-period-state.types';
import { currencyOfSource } from './tenant-period-state.types';

export const emptyCopilotUsage = (): CopilotUsage => ({ allocation: 0, unassigned: 0, payg: 0, overage: 0 });
export const emptyEnvironmentUsage = (): EnvironmentUsage => ({ allocation: 0, unassigned: 0, trial: 0, overage: 0, events: 0 });

/**
 * Adds one event to `u` in place: each draw to its source (Copilot draws in thousandths), one event (free ones count
 * too), and, when the event names a source (app or flow), what it drew to that source's usage in either currency.
 */
export function addEventToUsage(u: EnvironmentUsage, draws: readonly Draw[], sourceId: string): void {
  for (const d of draws) {
    switch (d.source) {
      case 'ALLOCATION':
        u.allocation += d.credits;
        break;
      case 'UNASSIGNED':
        u.unassigned += d.credits;
        break;
      case 'TRIAL':
        u.trial += d.credits;
        break;
      case 'OVERAGE':
        u.overage += d.credits;
        break;
      case 'COPILOT_ALLOCATION':
        (u.copilot ??= emptyCopilotUsage()).allocation += d.credits;
        break;
      case 'COPILOT_UNASSIGNED':
        (u.copilot ??= emptyCopilotUsage()).unassigned += d.credits;
        break;
      case 'COPILOT_PAYG':
        (u.copilot ??= emptyCopilotUsage()).payg += d.credits;
        break;
      case 'COPILOT_OVERAGE':
        (u.copilot ??= emptyCopilotUsage()).overage += d.credits;
        break;
    }
  }
  u.events += 1;
  addSourceUsage(u, draws, sourceId);
}

/** Adds what an event drew to its source's usage (in place); nothing for an event without a source or draws. */
export function addSourceUsage(u: EnvironmentUsage, draws: readonly Draw[], sourceId: string): void {
  if (sourceId === '' || draws.length === 0) return;
  const sources = (u.sources ??= new Map<string, SourceUsage>());
  const su = sources.get(sourceId) ?? { credits: 0, copilot: 0 };
  for (const d of draws) {
    if (currencyOfSource(d.source) === 'COPILOT') su.copilot += d.credits;
    else su.credits += d.credits;
  }
  sources.set(sourceId, su);
}

/** Copilot thousandths an environment drew in a period (overage included). */
export const copilotDrawn = (u: { readonly copilot?: CopilotUsage | null }): number =>
  u.copilot === undefined || u.copilot === null ? 0 : u.copilot.allocation + u.copilot.unassigned + u.copilot.payg + u.copilot.overage;
