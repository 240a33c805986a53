import type { RollupDoc } from '../storage/collections';

export interface UsageGroupRow {
  readonly key: string;
  readonly credits: number;
  readonly events: number;
  readonly trialCredits: number;
  readonly overageCredits: number;
}

export type UsageDimension = 'environmentId' | 'userId' | 'capability' | 'localDate';

/**
 * Reports are sums over the period's rollups (one document per day, environment, user and capability, kept
 * exact by the tenant's writer and repaired from the ledger), computed in JS: no ledger aggregation, which
 * FerretDB 1.24 answers slowly and with one accumulator per $group.
 */
export function groupRollups(
  rollups: Iterable<RollupDoc>,
  by: UsageDimension,
  include: (environmentId: string) => boolean = () => true,
): UsageGroupRow[] {
  const rows = new Map<string, { key: string; credits: number; events: number; trialCredits: number; overageCredits: number }>();
  for (const r of rollups) {
    if (!include(r.environmentId)) continue;
    const key = r[by] ?? '';
    let row = rows.get(key);
    if (row === undefined) {
      row = { key, credits: 0, events: 0, trialCredits: 0, overageCredits: 0 };
      rows.set(key, row);
    }
    row.credits += r.credits;
    row.events += r.events;
    row.trialCredits += r.trialCredits;
    row.overageCredits += r.overageCredits;
  }
  return [...rows.values()];
}

export interface CsvUsageRow {
  readonly date: string;
  readonly userId: string;
  readonly environmentId: string;
  readonly credits: number;
  readonly trialCredits: number;
}

/** Rows of the consumption-report CSV: one per day, user and environment (capabilities summed), sorted. */
export function byDayUserEnvironment(rollups: Iterable<RollupDoc>): CsvUsageRow[] {
  const rows = new Map<string, { date: string; userId: string; environmentId: string; credits: number; trialCredits: number }>();
  for (const r of rollups) {
    const id = `${r.localDate}|${r.userId}|${r.environmentId}`;
    let row = rows.get(id);
    if (row === undefined) {
      row = { date: r.localDate, userId: r.userId, environmentId: r.environmentId, credits: 0, trialCredits: 0 };
      rows.set(id, row);
    }
    row.credits += r.credits;
    row.trialCredits += r.trialCredits;
  }
  return [...rows.values()].sort((a, b) =>
    a.date !== b.date ? a.date.localeCompare(b.date) : a.userId !== b.userId ? a.userId.localeCompare(b.userId) : a.environmentId.localeCompare(b.environmentId),
  );
}
