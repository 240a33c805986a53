import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';

/** One administrative change (or refused attempt) of a tenant, as stored. */
export interface AuditDoc {
  readonly _id: string;
  readonly tenantId: string;
  readonly at: Date;
  readonly keyId: string;
  readonly actor: string;
  readonly channel: string;
  readonly action: string;
  readonly detail: string;
  readonly succeeded: boolean;
  readonly error: string;
}

export type NewAuditEntry = Omit<AuditDoc, '_id'>;

/**
 * The audit trail, one document per entry in `audit_entries`, always read within one tenant. Plain inserts and
 * an equality-plus-sort read on {tenantId, at}: no transactions and no $in, which FerretDB 1.24 and MongoDB 6+ run
 * the same way.
 */
export class AuditMongoRepository {
  private readonly entries: Collection<AuditDoc>;

  constructor(db: Db) {
    this.entries = db.collection<AuditDoc>('audit_entries');
  }

  async ensureIndexes(): Promise<void> {
    await this.entries.createIndex({ tenantId: 1, at: -1 });
  }

  async append(entry: NewAuditEntry): Promise<AuditDoc> {
    const doc: AuditDoc = { _id: randomUUID(), ...entry };
    await this.entries.insertOne(doc);
    return doc;
  }

  /** Newest first. */
  async list(tenantId: string, limit: number): Promise<AuditDoc[]> {
    return this.entries.find({ tenantId }).sort({ at: -1, _id: -1 }).limit(limit).toArray();
  }
}
