import type { Collection, Db } from 'mongodb';
import type { JournalDoc, KeyClaimDoc, LedgerDoc } from './ledger-docs';
import type { Currency, DrawSource, LicensingModel, Operation, Stage, TrialStatus } from '@allot/domain';

/** The ledger's documents (claims, events, journal chunks) live in ledger-docs.ts. */
export type { JournalChunkDoc, JournalDoc, KeyClaimDoc, LedgerDoc } from './ledger-docs';

/** Stored documents. Every document carries tenantId so queries are scoped and `tenant_id` can be a shard key. */

export interface TenantDoc {
  _id: string;
  tenantId: string;
  displayName: string;
  timeZone: string;
  allowUnassigned: boolean;
  thresholds: { warningPercent: number; overagePercent: number; blockedPercent: number };
  createdAt: Date;
  /** docs/licensing.md; absent on tenants from before v2: CLASSIC. */
  licensingModel?: LicensingModel;
  /** Highest ledger seq whose effects are in every projection document (the projections' high-water mark). */
  projectedSeq: number;
  /**
   * Highest committed ledger seq: the commit point of a group is the conditional update that raises it (guarded
   * by the lease token), so an event in the journal above it was never acknowledged. Absent on tenants from
   * before the journal: projectedSeq then.
   */
  committedSeq?: number;
  /** The tenant's single writer (see tenants/tenant-lease.ts). Absent until a core first loads the tenant. */
  lease?: TenantLease;
  /**
   * ROLLUPS_VERSION once the tenant's rollups were built from its whole ledger (absent on tenants from before
   * rollups existed: their first load builds them).
   */
  rollupsVersion?: number;
}

export const ROLLUPS_VERSION = 1;

/** Who writes a tenant: one core replica at a time, fenced by a token that grows with every new owner. */
export interface TenantLease {
  /** Replica id (random per process start). */
  owner: string;
  /** host:port other replicas forward this tenant's calls to. */
  address: string;
  /** Fencing token: every commit and projection write of the owner is conditional on it. */
  token: number;
  /** Database-independent wall time (ms) until which the owner may act without renewing. */
  expiresAtMs: number;
}

export interface EnvironmentDoc {
  _id: string;
  tenantId: string;
  environmentId: string;
  displayName: string;
  tenantPoolFallback: boolean;
  /** Monthly allocation, recurring until changed; 0 = none. */
  allocation: number;
  createdAt: Date;
  /** DUAL (docs/licensing.md): monthly Copilot Credit allocation, whole credits; absent = 0. */
  copilotAllocation?: number;
  /** DUAL: "draw from the available capacity in my tenant"; absent = true. */
  copilotDrawFromTenant?: boolean;
  /** DUAL: pay-as-you-go enabled; absent = false. */
  copilotPayg?: boolean;
  /** DUAL: monthly pay-as-you-go budget in whole Copilot Credits; absent or 0 = none. */
  copilotPaygBudget?: number;
  /** Caps per source (app or flow) per period. */
  sourceLimits?: SourceLimitDoc[];
}

export interface SourceLimitDoc {
  source: string;
  currency: Currency;
  credits: number;
}

export interface EntitlementDoc {
  _id: string;
  tenantId: string;
  kind: 'CAPACITY_ADDON' | 'LICENSE' | 'COPILOT_PACK' | 'COPILOT_PAYG';
  sku: string;
  quantity: number;
  monthlyCredits: number;
  firstPeriod: string;
  lastPeriod: string | null;
  createdAt: Date;
}

export interface TrialDoc {
  _id: string;
  tenantId: string;
  userId: string;
  credits: number;
  consumed: number;
  startedAt: Date;
  expiresAt: Date;
  extensions: number;
  status: TrialStatus;
  /** Ledger high-water mark of the last write (events above it are added by a repair from the journal). */
  seq?: number;
}

/** Projection: what one environment consumed in one period, by source. _id = tenantId|period|environmentId. */
export interface UsageDoc {
  _id: string;
  tenantId: string;
  period: string;
  environmentId: string;
  allocation: number;
  unassigned: number;
  trial: number;
  overage: number;
  events: number;
  /** DUAL: Copilot draws in thousandths (absent until the environment draws any). */
  copilot?: { allocation: number; unassigned: number; payg: number; overage: number };
  /** Ledger high-water mark of the last write. */
  seq: number;
}

/**
 * Projection: what one source (app or flow) drew in one environment and period, for source limits: AI Builder credits
 * and Copilot thousandths, overage included. One document per source (written only when it changed), so an
 * environment with many sources never rewrites them all. _id = tenantId|period|environmentId|source.
 */
export interface SourceUsageDoc {
  _id: string;
  tenantId: string;
  period: string;
  environmentId: string;
  source: string;
  credits: number;
  copilot: number;
  /** Ledger high-water mark of the last write. */
  seq: number;
}

/**
 * Projection: what one (period, local day, environment, user, capability) consumed, so reports never aggregate
 * the ledger. _id = tenantId|period|localDate|environmentId|userId|capability (ids never contain '|').
 */
export interface RollupDoc {
  _id: string;
  tenantId: string;
  period: string;
  /** Local day in the tenant's zone, YYYY-MM-DD (the ledger's localDate). */
  localDate: string;
  environmentId: string;
  userId: string;
  /** '' for events priced in credits directly. */
  capability: string;
  credits: number;
  events: number;
  trialCredits: number;
  overageCredits: number;
  /** DUAL: Copilot thousandths charged (overage included) and their overage; absent means 0. Such events add 0 to credits. */
  copilotCredits?: number;
  copilotOverage?: number;
  /** Ledger high-water mark of the last write. */
  seq: number;
}

export interface ApiKeyDoc {
  _id: string;
  /** SHA-256 of the secret, hex. The secret itself is never stored. */
  hash: string;
  tenantId: string | null;
  role: 'ADMIN' | 'INGEST' | 'READER';
  description: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface AlertDoc {
  /** tenantId|cause: unique, so an alert is raised once per cause and tenant. */
  _id: string;
  /** What caused it, e.g. "stage:prod:2026-11:OVERAGE" (unique within the tenant). */
  cause: string;
  cursor: number;
  tenantId: string;
  kind: string;
  environmentId: string;
  environmentDisplayName: string;
  userId: string;
  period: string;
  stage: Stage | null;
  previousStage: Stage | null;
  consumed: number;
  available: number;
  title: string;
  message: string;
  createdAt: Date;
  byEnvironment: SummaryLine[];
  topUsers: SummaryLine[];
  totalOverage: number;
  expiresAt: Date | null;
  /** DUAL: the scope's Copilot thousandths when raised (available null: unlimited). */
  copilot?: { consumed: number; available: number | null };
  /** DUAL PERIOD_CLOSED: Copilot thousandths of the period and their overage. */
  totalCopilot?: { credits: number; overage: number };
  /** SOURCE_LIMIT_*: the source and the cap's currency (consumed and available are in that currency's unit). */
  source?: string;
  currency?: Currency;
}

export interface SummaryLine {
  key: string;
  label: string;
  credits: number;
  overageCredits: number;
  /** DUAL: Copilot thousandths. */
  copilotCredits?: number;
}

export interface SubscriberCursorDoc {
  /** subscriber for keys of all tenants, tenantId|subscriber for tenant-scoped keys (see alert.use-cases.ts). */
  _id: string;
  /** The scope that owns the cursor: null for keys of all tenants (absent on cursors stored before scopes). */
  tenantId?: string | null;
  cursor: number;
}

export interface ChannelBindingDoc {
  _id: string;
  tenantId: string;
  platform: string;
  channelId: string;
  reference: string;
  boundBy: string;
  boundAt: Date;
}

export interface PeriodCloseDoc {
  _id: string;
  tenantId: string;
  period: string;
  closedAt: Date;
  summaryAlertCursor: number;
}

/**
 * A reservation (docs/licensing.md, Reservations): _id = tenantId|reservationId, the reservation id derived from the
 * idempotency key. HELD until committed or released; a HELD one past expiresAt is expired (derived, never written).
 */
export interface ReservationDoc {
  _id: string;
  tenantId: string;
  reservationId: string;
  idempotencyKey: string;
  fingerprint: string;
  period: string;
  environmentId: string;
  userId: string;
  operation: Operation;
  sourceId: string;
  credits: number;
  /** Copilot estimate in thousandths (DUAL, capability given), else null. */
  copilot: number | null;
  draws: Array<{ source: DrawSource; credits: number }>;
  status: 'HELD' | 'COMMITTED' | 'RELEASED' | 'REFUSED';
  allowed: boolean;
  reason: string | null;
  stage: Stage;
  remaining: number;
  copilotRemaining: number | null | undefined;
  message: string;
  createdAt: Date;
  expiresAt: Date;
}

/** The test clock's offset from real time (only with CREDIT_CORE_TEST_CLOCK=true), kept across restarts. */
export interface TestClockDoc {
  _id: 'test-clock';
  offsetMs: number;
}

export interface Collections {
  readonly tenants: Collection<TenantDoc>;
  readonly environments: Collection<EnvironmentDoc>;
  readonly entitlements: Collection<EntitlementDoc>;
  readonly trials: Collection<TrialDoc>;
  /** Events not yet in every projection, a document per commit group (small: emptied by each projection flush). */
  readonly journal: Collection<JournalDoc>;
  readonly reservations: Collection<ReservationDoc>;
  readonly keyClaims: Collection<KeyClaimDoc>;
  /** The ledger partition of one period (all tenants). */
  ledger(period: string): Collection<LedgerDoc>;
  /** Periods that have a ledger partition. */
  ledgerPeriods(): Promise<string[]>;
  readonly usage: Collection<UsageDoc>;
  readonly rollups: Collection<RollupDoc>;
  readonly sourceUsage: Collection<SourceUsageDoc>;
  readonly apiKeys: Collection<ApiKeyDoc>;
  readonly alerts: Collection<AlertDoc>;
  readonly subscriberCursors: Collection<SubscriberCursorDoc>;
  readonly channelBindings: Collection<ChannelBindingDoc>;
  readonly periodCloses: Collection<PeriodCloseDoc>;
  readonly testClock: Collection<TestClockDoc>;
}

const LEDGER_PARTITION = /^ledger_(\d{4})_(\d{2})$/;

/** Name of a period's ledger partition: 2026-12 -> ledger_2026_12. */
export const ledgerCollectionOf = (period: string): string => `ledger_${period.replace('-', '_')}`;

/** Indexes of one ledger partition (MongoDB answers retries and reconcile pages by them). */
export async function ensureLedgerIndexes(c: Collections, period: string): Promise<void> {
  await Promise.all([c.ledger(period).createIndex({ tenantId: 1, seq: 1 }), c.ledger(period).createIndex({ tenantId: 1, group: 1 })]);
}

export function collectionsOf(db: Db): Collections {
  return {
    tenants: db.collection<TenantDoc>('tenants'),
    environments: db.collection<EnvironmentDoc>('environments'),
    entitlements: db.collection<EntitlementDoc>('entitlements'),
    trials: db.collection<TrialDoc>('trials'),
    journal: db.collection<JournalDoc>('ledger_journal'),
    reservations: db.collection<ReservationDoc>('reservations'),
    keyClaims: db.collection<KeyClaimDoc>('ledger_keys'),
    ledger: (period: string) => db.collection<LedgerDoc>(ledgerCollectionOf(period)),
    ledgerPeriods: async () =>
      (await db.listCollections({}, { nameOnly: true }).toArray())
        .map((c) => LEDGER_PARTITION.exec(c.name))
        .flatMap((m) => (m === null ? [] : [`${m[1]}-${m[2]}`]))
        .sort(),
    usage: db.collection<UsageDoc>('usage'),
    rollups: db.collection<RollupDoc>('usage_rollups'),
    sourceUsage: db.collection<SourceUsageDoc>('source_usage'),
    apiKeys: db.collection<ApiKeyDoc>('api_keys'),
    alerts: db.collection<AlertDoc>('alerts'),
    subscriberCursors: db.collection<SubscriberCursorDoc>('alert_subscribers'),
    channelBindings: db.collection<ChannelBindingDoc>('channel_bindings'),
    periodCloses: db.collection<PeriodCloseDoc>('period_closes'),
    testClock: db.collection<TestClockDoc>('test_clock'),
  };
}

/** Creates the indexes the queries rely on (idempotent; FerretDB and MongoDB both accept these). */
export async function ensureIndexes(c: Collections): Promise<void> {
  await Promise.all([
    c.environments.createIndex({ tenantId: 1 }),
    c.entitlements.createIndex({ tenantId: 1 }),
    c.trials.createIndex({ tenantId: 1 }),
    c.reservations.createIndex({ tenantId: 1, period: 1, status: 1 }),
    // Two writers of one tenant can never both insert one seq: the loser is fenced off (tenant-lease.ts).
    c.journal.createIndex({ tenantId: 1, seq: 1 }, { unique: true }),
    c.keyClaims.createIndex({ tenantId: 1, group: 1 }),
    c.usage.createIndex({ tenantId: 1, period: 1 }),
    c.rollups.createIndex({ tenantId: 1, period: 1 }),
    c.sourceUsage.createIndex({ tenantId: 1, period: 1 }),
    c.apiKeys.createIndex({ hash: 1 }, { unique: true }),
    c.alerts.createIndex({ cursor: 1 }, { unique: true }),
    c.alerts.createIndex({ tenantId: 1, cursor: 1 }),
    c.channelBindings.createIndex({ tenantId: 1 }),
    c.periodCloses.createIndex({ tenantId: 1 }),
  ]);
}

/** MongoDB's duplicate-key error (11000), as both MongoDB and FerretDB report it. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/**
 * The indexes (in the inserted list) of the documents an insertMany refused as duplicate keys; null when it failed
 * for another reason (or not per document), so the caller treats the whole insert as failed.
 */
export function duplicateKeyIndexes(error: unknown): Set<number> | null {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const list: unknown[] = Array.isArray(writeErrors) ? writeErrors : writeErrors === undefined ? [] : [writeErrors];
  if (list.length === 0) return null;
  const indexes = new Set<number>();
  for (const w of list) {
    if (!isDuplicateKeyError(w)) return null;
    const index = (w as { index?: unknown }).index;
    if (typeof index !== 'number') return null;
    indexes.add(index);
  }
  // Every document not listed was written; a write concern error would make that unknown.
  if ((error as { writeConcernErrors?: unknown[] }).writeConcernErrors?.length) return null;
  return indexes;
}
