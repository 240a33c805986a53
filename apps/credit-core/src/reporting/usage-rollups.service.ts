import type { RollupDoc } from '../storage/collections';

export interface UsageGroupRow {
  readonly key: string;
  readonly credits: number;
  readonly events: number;
  readonly trialCredits: number;
  readonly overageCredits: number;
  /** Copilot thousandths (DUAL), overage included, and their overage. */
  readonly copilotCredits: number;
  readonly copilotOverage: number;
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
  const rows = new Map<string, { -readonly [K in keyof UsageGroupRow]: UsageGroupRow[K] }>();
  for (const r of rollups) {
    if (!include(r.environmentId)) continue;
    const key = r[by] ?? '';
    let row = rows.get(key);
    if (row === undefined) {
      row = { key, credits: 0, events: 0, trialCredits: 0, overageCredits: 0, copilotCredits: 0, copilotOverage: 0 };
      rows.set(key, row);
    }
    row.credits += r.credits;
    row.events += r.events;
    row.trialCredits += r.trialCredits;
    row.overageCredits += r.overageCredits;
    row.copilotCredits += r.copilotCredits ?? 0;
    row.copilotOverage += r.copilotOverage ?? 0;
  }
  return [...rows.values()];
}

export interface CsvUsageRow {
  readonly date: string;
  readonly userId: string;
  readonly environmentId: string;
  readonly credits: number;
  /** Copilot thousandths (DUAL); 0 on trial rows. */
  readonly copilot: number;
  readonly isTrial: boolean;
}

/**
 * Rows of the consumption-report CSV: one per day, user and environment (capabilities summed), split in two
 * when a user drew both trial and paid (or overage) credits that day there, so that summing AIConsumption per
 * IsTrial gives exact trial and non-trial totals. Sorted by date, user, environment, then IsTrial false first.
 */
export function byDayUserEnvironment(rollups: Iterable<RollupDoc>): CsvUsageRow[] {
  const sums = new Map<string, { date: string; userId: string; environmentId: string; credits: number; trialCredits: number; copilot: number }>();
  for (const r of rollups) {
    const id = `${r.localDate}|${r.userId}|${r.environmentId}`;
    let sum = sums.get(id);
    if (sum === undefined) {
      sum = { date: r.localDate, userId: r.userId, environmentId: r.environmentId, credits: 0, trialCredits: 0, copilot: 0 };
      sums.set(id, sum);
    }
    sum.credits += r.credits;
    sum.trialCredits += r.trialCredits;
    sum.copilot += r.copilotCredits ?? 0;
  }
  const rows: CsvUsageRow[] = [];
  for (const { date, userId, environmentId, credits, trialCredits, copilot } of sums.values()) {
    const paid = credits - trialCredits;
    // A group of zero-credit events still shows as one (non-trial) row, as it does in the usage report.
    if (paid > 0 || copilot > 0 || trialCredits === 0) rows.push({ date, userId, environmentId, credits: paid, copilot, isTrial: false });
    if (trialCredits > 0) rows.push({ date, userId, environmentId, credits: trialCredits, copilot: 0, isTrial: true });
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort(
    (a, b) =>
      cmp(a.date, b.date) || cmp(a.userId, b.userId) || cmp(a.environmentId, b.environmentId) || Number(a.isTrial) - Number(b.isTrial),
  );
}
