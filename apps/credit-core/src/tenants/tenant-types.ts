import { createHash } from 'node:crypto';
import type { DomainError, Operation, TenantPeriodState, TrialState } from '@allot/domain';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { AlertOutbox } from '../alerts/alert-outbox';
import type { Collections, EntitlementDoc, EnvironmentDoc, RollupDoc, TenantDoc } from '../storage/collections';
import type { RecordedEvent } from '../storage/mappers';

export type { RecordedEvent } from '../storage/mappers';

/** A consumption event that passed request validation (field checks happen before it reaches the queue). */
export interface ConsumptionEvent {
  readonly environmentId: string;
  readonly userId: string;
  readonly idempotencyKey: string;
  readonly occurredAtMs: number;
  /** False when the request had no occurred_at (then occurredAtMs is the time it was received). */
  readonly occurredAtGiven: boolean;
  readonly operation: Operation;
  /** Priced already (rate card) and 0 for free operations. */
  readonly credits: number;
  /** DUAL's price in Copilot thousandths (Copilot rate card); null when given as credits only, or free. */
  readonly copilot: number | null;
  readonly capability: string;
  readonly quantity: number;
  readonly sourceId: string;
  /** Hash of the request content, to tell a retry from a reused key. */
  readonly fingerprint: string;
}

/** Hash of an event's content: a retry must match it exactly. */
export function fingerprintOf(e: Omit<ConsumptionEvent, 'fingerprint' | 'occurredAtGiven' | 'copilot'>): string {
  const content = [e.environmentId, e.userId, e.occurredAtMs, e.operation, e.credits, e.capability, e.quantity, e.sourceId];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 32);
}

export type RecordOutcome = { ok: true; value: RecordedEvent } | { ok: false; error: DomainError };

/** A loaded period as the read paths see it: configuration, live state, and its rollups. */
export interface TenantView {
  readonly config: TenantConfig;
  readonly state: TenantPeriodState;
  /** Live documents: read them synchronously, do not keep them. */
  readonly rollups: Iterable<RollupDoc>;
}

/** One repaired difference between a projection and the ledger. */
export interface ProjectionFix {
  readonly projection: string;
  readonly key: string;
  readonly before: number;
  readonly after: number;
}

/** The tenant's configuration and trials as held in memory by its actor. */
export interface TenantConfig {
  tenant: TenantDoc;
  readonly envs: Map<string, EnvironmentDoc>;
  entitlements: EntitlementDoc[];
  /** user id -> trial; shared by every period state of the tenant. */
  readonly trials: Map<string, TrialState>;
}

export interface TenantActorDeps {
  readonly c: Collections;
  readonly clock: Clock;
  readonly outbox: AlertOutbox;
  readonly logger: Logger;
  /** Longest time a write waits to be grouped with others. */
  readonly commitDelayMs: number;
  /** This replica: id and the address other replicas forward to. */
  readonly replica: { readonly id: string; readonly address: () => string };
  /** How long a lease lasts without renewal (ms). */
  readonly leaseMs: number;
}
