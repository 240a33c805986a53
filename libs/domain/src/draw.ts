import type { AiBuilderDrawSource, CopilotDrawSource, Draw } from './tenant-period-state';

/** Sum of AI Builder draws by source (missing sources 0; Copilot draws are summed by sumCopilotDraws). */
export function sumDraws(draws: readonly Draw[]): Record<AiBuilderDrawSource, number> {
  const sums: Record<AiBuilderDrawSource, number> = { ALLOCATION: 0, UNASSIGNED: 0, TRIAL: 0, OVERAGE: 0 };
  for (const d of draws) if (d.source in sums) sums[d.source as AiBuilderDrawSource] += d.credits;
  return sums;
}

/** Sum of Copilot draws by source, in thousandths of a Copilot Credit. */
export function sumCopilotDraws(draws: readonly Draw[]): Record<CopilotDrawSource, number> {
  const sums: Record<CopilotDrawSource, number> = { COPILOT_ALLOCATION: 0, COPILOT_UNASSIGNED: 0, COPILOT_PAYG: 0, COPILOT_OVERAGE: 0 };
  for (const d of draws) if (d.source in sums) sums[d.source as CopilotDrawSource] += d.credits;
  return sums;
}
