import type { Draw, Stage, TrialState } from '@allot/domain';
import type { LedgerDoc, RollupDoc, TrialDoc } from './collections';

/** Document ids and mappers between stored documents and domain values: the one home for all of them. */

/** Ids never contain '|', so tenantId|... ids are unique and start with their tenant (the shard key). */
export const ledgerIdOf = (tenantId: string, key: string): string => `${tenantId}|${key}`;
export const trialIdOf = (tenantId: string, userId: string): string => `${tenantId}|${userId}`;
export const usageIdOf = (tenantId: string, period: string, env: string): string => `${tenantId}|${period}|${env}`;
export const environmentIdOf = (tenantId: string, environmentId: string): string => `${tenantId}|${environmentId}`;

export type RollupKey = Pick<RollupDoc, 'period' | 'localDate' | 'environmentId' | 'userId' | 'capability'>;
export const rollupIdOf = (tenantId: string, k: RollupKey): string =>
  `${tenantId}|${k.period}|${k.localDate}|${k.environmentId}|${k.userId}|${k.capability}`;

export const trialFromDoc = (d: TrialDoc): TrialState => ({
  userId: d.userId,
  credits: d.credits,
  consumed: d.consumed,
  startedAtMs: d.startedAt.getTime(),
  expiresAtMs: d.expiresAt.getTime(),
  extensions: d.extensions,
  status: d.status,
});

export const trialToDoc = (tenantId: string, t: TrialState, seq: number): TrialDoc => ({
  _id: trialIdOf(tenantId, t.userId),
  tenantId,
  userId: t.userId,
  credits: t.credits,
  consumed: t.consumed,
  startedAt: new Date(t.startedAtMs),
  expiresAt: new Date(t.expiresAtMs),
  extensions: t.extensions,
  status: t.status,
  seq,
});

/** The answer to a recorded event: the same on the first call and on every retry (then duplicate = true). */
export interface RecordedEvent {
  readonly eventId: string;
  readonly period: string;
  readonly credits: number;
  readonly draws: readonly Draw[];
  readonly duplicate: boolean;
  readonly stage: Stage;
}

export const recordedOf = (doc: Pick<LedgerDoc, '_id' | 'period' | 'credits' | 'draws' | 'stage'>, duplicate: boolean): RecordedEvent => ({
  eventId: doc._id,
  period: doc.period,
  credits: doc.credits,
  draws: doc.draws,
  duplicate,
  stage: doc.stage,
});
