import type { Draw, DrawSource } from './tenant-period-state';

/** Sum of draws by source (missing sources 0). */
export function sumDraws(draws: readonly Draw[]): Record<DrawSource, number> {
  const sums: Record<DrawSource, number> = { ALLOCATION: 0, UNASSIGNED: 0, TRIAL: 0, OVERAGE: 0 };
  for (const d of draws) sums[d.source] += d.credits;
  return sums;
}
