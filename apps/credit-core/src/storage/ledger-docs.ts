import type { Currency, DrawSource, Operation, Stage } from '@allot/domain';

/** The ledger's stored documents: the claim of each idempotency key, each event, and the journal's chunks. */

/**
 * One consumption event: the truth every projection derives from. _id = tenantId|idempotencyKey. Stored in the
 * journal until the projections include it, and for ever in the ledger partition of its period (ledger_YYYY_MM).
 */
export interface LedgerDoc {
  _id: string;
  tenantId: string;
  /** Per-tenant sequence, assigned by the tenant's single writer. */
  seq: number;
  idempotencyKey: string;
  fingerprint: string;
  environmentId: string;
  userId: string;
  operation: Operation;
  credits: number;
  capability: string;
  quantity: number;
  sourceId: string;
  occurredAt: Date;
  recordedAt: Date;
  period: string;
  /** Local day in the tenant's zone, YYYY-MM-DD. */
  localDate: string;
  draws: Array<{ source: DrawSource; credits: number }>;
  allocationCredits: number;
  unassignedCredits: number;
  trialCredits: number;
  overageCredits: number;
  /** Which term of the user's trial paid (extensions count at the time), for trial repair. */
  trialTerm: number;
  /**
   * DUAL only: the currency the event was charged in (COPILOT: its draws are Copilot thousandths). Absent under
   * CLASSIC, whose answers stay as in v1.
   */
  currency?: Currency;
  /** Stage of the scope after this event (part of the first answer, returned again on a retry). */
  stage: Stage;
  /** Commit group: tenantId|first seq of the group|lease token of its writer. A retried batch finds its first answers by it. */
  group: string;
}

/**
 * Committed events waiting in the journal, written as one document per commit group (in chunks of
 * JOURNAL_CHUNK_EVENTS, journal-chunks.ts): one insert and one delete per group instead of per event. The events are one JSON string:
 * the journal is only ever read whole by the core, and a database converts one string far faster than a thousand
 * nested documents (on FerretDB that conversion, not PostgreSQL, bounds ingestion). _id = tenantId|firstSeq; `seq`
 * is the chunk's last seq, so the journal's unique {tenantId, seq} and the trims by seq treat a chunk like its last
 * event (a group is committed whole). Journals written before chunks hold one LedgerDoc per event; journalEventsOf
 * reads both.
 */
export interface JournalChunkDoc {
  _id: string;
  tenantId: string;
  group: string;
  firstSeq: number;
  seq: number;
  /** JSON of LedgerDoc[] (dates as ISO strings). */
  events: string;
}

export type JournalDoc = JournalChunkDoc | LedgerDoc;

/**
 * The idempotency key of one event, for ever: inserted before the event, so the unique _id (tenantId|key)
 * refuses a second use at insert time whatever the period. Read only on the rare paths (see duplicate-lookup.ts).
 */
export interface KeyClaimDoc {
  _id: string;
  tenantId: string;
  fingerprint: string;
  /** The period the event was recorded in (where its ledger document is). */
  period: string;
  /** The commit group that claimed it: the claims of a group that never committed are deleted by it. */
  group: string;
}
