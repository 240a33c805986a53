import type { Collections } from '../storage/collections';

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
    const rows = await this.c.ledger
      .aggregate<{ _id: string; credits: number; events: number; trial: number; overage: number }>([
        { $match: match },
        {
          $group: {
            _id: `$${by}`,
            credits: { $sum: '$credits' },
            events: { $sum: 1 },
            trial: { $sum: '$trialCredits' },
            overage: { $sum: '$overageCredits' },
          },
        },
      ])
      .toArray();
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
    const rows = await this.c.ledger
      .aggregate<{ _id: { d: string; u: string; e: string }; credits: number; trial: number }>([
        { $match: { tenantId, period } },
        {
          $group: {
            _id: { d: '$localDate', u: '$userId', e: '$environmentId' },
            credits: { $sum: '$credits' },
            trial: { $sum: '$trialCredits' },
          },
        },
      ])
      .toArray();
    return rows
      .map((r) => ({ date: r._id.d, userId: r._id.u, environmentId: r._id.e, credits: r.credits, trialCredits: r.trial }))
      .sort((a, b) =>
        a.date !== b.date ? a.date.localeCompare(b.date) : a.userId !== b.userId ? a.userId.localeCompare(b.userId) : a.environmentId.localeCompare(b.environmentId),
      );
  }
}
