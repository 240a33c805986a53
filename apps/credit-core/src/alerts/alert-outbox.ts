import type { AlertDoc, Collections } from '../storage/collections';
import { isDuplicateKeyError } from '../storage/collections';
import type { Logger } from '../logger';

/** What a use case gives to raise an alert; the outbox adds cursor and time. */
export type AlertInput = Omit<AlertDoc, 'cursor' | 'createdAt' | '_id' | 'cause' | 'byEnvironment' | 'topUsers' | 'totalOverage' | 'expiresAt' | 'environmentDisplayName' | 'stage' | 'previousStage' | 'consumed' | 'available' | 'userId' | 'environmentId' | 'period'> &
  Partial<Pick<AlertDoc, 'byEnvironment' | 'topUsers' | 'totalOverage' | 'expiresAt' | 'environmentDisplayName' | 'stage' | 'previousStage' | 'consumed' | 'available' | 'userId' | 'environmentId' | 'period'>> & {
    /** Unique cause, e.g. "stage:prod:2026-11:OVERAGE": an alert is raised once per cause. */
    cause: string;
  };

/**
 * The durable alert outbox. One serialized writer per process assigns a monotonically increasing cursor;
 * the unique cause (the document _id) makes every alert happen once, even when raised again after a restart.
 * Listeners (WatchAlerts streams) are told at once; other replicas' alerts are found by their slow poll.
 */
export class AlertOutbox {
  private chain: Promise<unknown> = Promise.resolve();
  private lastCursor = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly c: Collections,
    private readonly logger: Logger,
  ) {}

  async init(): Promise<void> {
    this.lastCursor = await this.maxCursor();
  }

  private async maxCursor(): Promise<number> {
    const top = await this.c.alerts.find({}).sort({ cursor: -1 }).limit(1).toArray();
    return top[0]?.cursor ?? 0;
  }

  /** Raises an alert once per cause; returns the stored alert, or null when this cause was raised before. */
  raise(input: AlertInput, now: Date): Promise<AlertDoc | null> {
    const run = async (): Promise<AlertDoc | null> => {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const doc: AlertDoc = {
          environmentId: '',
          environmentDisplayName: '',
          userId: '',
          period: '',
          stage: null,
          previousStage: null,
          consumed: 0,
          available: 0,
          byEnvironment: [],
          topUsers: [],
          totalOverage: 0,
          expiresAt: null,
          ...input,
          _id: alertIdOf(input.tenantId, input.cause),
          cursor: this.lastCursor + 1,
          createdAt: now,
        };
        try {
          await this.c.alerts.insertOne(doc);
          this.lastCursor = doc.cursor;
          this.logger.info('alert raised', { cursor: doc.cursor, tenant: doc.tenantId, cause: doc.cause });
          for (const l of this.listeners) l();
          return doc;
        } catch (e) {
          if (!isDuplicateKeyError(e)) throw e;
          const existing = await this.c.alerts.findOne({ _id: alertIdOf(input.tenantId, input.cause) });
          if (existing !== null) return null;
          // The cursor was taken by another replica: move past it and try again.
          this.lastCursor = await this.maxCursor();
        }
      }
      throw new Error(`could not assign an alert cursor for ${input.cause}`);
    };
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** Called whenever this process stored a new alert. Returns an unsubscribe function. */
  onNew(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async after(cursor: number, tenantId: string | null, limit: number): Promise<AlertDoc[]> {
    const filter = tenantId === null ? { cursor: { $gt: cursor } } : { tenantId, cursor: { $gt: cursor } };
    return this.c.alerts.find(filter).sort({ cursor: 1 }).limit(limit).toArray();
  }
}

/** Document id of an alert: its cause is unique within a tenant. */
export const alertIdOf = (tenantId: string, cause: string): string => `${tenantId}|${cause}`;
