import { currencyOfSource, formatMillis, type Currency, type Draw, type EnvironmentUsage, type Stage, type TrialState } from '@allot/domain';
import type { LedgerDoc, RollupDoc, TrialDoc, UsageDoc } from './collections';

/** Document ids and mappers between stored documents and domain values: the one home for all of them. */

/** Ids never contain '|', so tenantId|... ids are unique and start with their tenant (the shard key). */
export const ledgerIdOf = (tenantId: string, key: string): string => `${tenantId}|${key}`;
export const trialIdOf = (tenantId: string, userId: string): string => `${tenantId}|${userId}`;
export const usageIdOf = (tenantId: string, period: string, env: string): string => `${tenantId}|${period}|${env}`;
/** The source is free text and comes last, so a '|' in it cannot make two ids collide. */
export const sourceUsageIdOf = (tenantId: string, period: string, env: string, source: string): string => `${tenantId}|${period}|${env}|${source}`;
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
  /** DUAL: the currency charged and the exact amount (decimal string); null under CLASSIC. */
  readonly charged: { readonly currency: Currency; readonly amount: string } | null;
}

/** Copilot thousandths an event was charged (overage included); 0 for an event charged in AI Builder credits. */
export const copilotChargedOf = (draws: readonly Draw[]): number => draws.reduce((sum, d) => sum + (currencyOfSource(d.source) === 'COPILOT' ? d.credits : 0), 0);

export const recordedOf = (doc: Pick<LedgerDoc, '_id' | 'period' | 'credits' | 'draws' | 'stage' | 'currency'>, duplicate: boolean): RecordedEvent => ({
  eventId: doc._id,
  period: doc.period,
  credits: doc.credits,
  draws: doc.draws,
  duplicate,
  stage: doc.stage,
  charged:
    doc.currency === undefined ? null : { currency: doc.currency, amount: doc.currency === 'COPILOT' ? formatMillis(copilotChargedOf(doc.draws)) : String(doc.credits) },
});

/** A usage document's counts as the period state holds them. */
export function usageFromDoc(d: Pick<UsageDoc, 'allocation' | 'unassigned' | 'trial' | 'overage' | 'events' | 'copilot'>): EnvironmentUsage {
  const u: EnvironmentUsage = { allocation: d.allocation, unassigned: d.unassigned, trial: d.trial, overage: d.overage, events: d.events };
  if (d.copilot !== undefined && d.copilot !== null) u.copilot = { ...d.copilot };
  return u;
}

/**
 * The stored fields of an environment's usage (Copilot only once there is some: CLASSIC documents stay as in v1).
 * Its sources are documents of their own (SourceUsageDoc).
 */
export function usageToFields(u: EnvironmentUsage): Pick<UsageDoc, 'allocation' | 'unassigned' | 'trial' | 'overage' | 'events' | 'copilot'> {
  const fields: Pick<UsageDoc, 'allocation' | 'unassigned' | 'trial' | 'overage' | 'events' | 'copilot'> = {
    allocation: u.allocation,
    unassigned: u.unassigned,
    trial: u.trial,
    overage: u.overage,
    events: u.events,
  };
  if (u.copilot !== undefined) fields.copilot = { ...u.copilot };
  return fields;
}
