import type { Collections } from '../storage/collections';
import { groupSums } from '../storage/group-sums';

export interface UsageGroupRow {
  readonly key: string;
  readonly credits: number;
  readonly events: number;
  readonly trialCredits: number;
  readonly overageCredits: number;
}

export type UsageDimension = 'environmentId' | 'userId' | 'capability' | 'localDate';

/**
 * Reports aggregate the ledger itself (the truth) with only $match/$group/$sum, which FerretDB 1.24 and
 * MongoDB both run. Every query is scoped by tenant.
 */
export class UsageMongoRepository {
  constructor(private readonly c: Collections) {}

  async grouped(
    tenantId: string,
    period: string,
    by: UsageDimension,
    filter: { environmentId?: string; environmentIds?: { $in?: string[]; $nin?: string[] } } = {},
  ): Promise<UsageGroupRow[]> {
    const match: Record<string, unknown> = { tenantId, period };
    if (filter.environmentId !== undefined) match['environmentId'] = filter.environmentId;
    else if (filter.environmentIds !== undefined) match['environmentId'] = filter.environmentIds;
    const rows = (
      await groupSums<string | null, 'credits' | 'events' | 'trial' | 'overage'>(this.c.ledger, match, `$${by}`, {
        credits: '$credits',
        events: '$one',
        trial: '$trialCredits',
        overage: '$overageCredits',
      })
    ).map((r) => ({ ...r, _id: r.key }));
    return rows.map((r) => ({
      key: r._id ?? '',
      credits: r.credits,
      events: r.events,
      trialCredits: r.trial,
      overageCredits: r.overage,
    }));
  }

  /** Rows of the consumption-report CSV: one per day, user and environment, sorted. */
  async byDayUserEnvironment(
    tenantId: string,
    period: string,
  ): Promise<Array<{ date: string; userId: string; environmentId: string; credits: number; trialCredits: number }>> {
    const rows = (
      await groupSums<{ d: string; u: string; e: string }, 'credits' | 'trial'>(
        this.c.ledger,
        { tenantId, period },
        { d: '$localDate', u: '$userId', e: '$environmentId' },
        { credits: '$credits', trial: '$trialCredits' },
      )
    ).map((r) => ({ ...r, _id: r.key }));
    return rows
      .map((r) => ({ date: r._id.d, userId: r._id.u, environmentId: r._id.e, credits: r.credits, trialCredits: r.trial }))
      .sort((a, b) =>
        a.date !== b.date ? a.date.localeCompare(b.date) : a.userId !== b.userId ? a.userId.localeCompare(b.userId) : a.environmentId.localeCompare(b.environmentId),
      );
  }
}
