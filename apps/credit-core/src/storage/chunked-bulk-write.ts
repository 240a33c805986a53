import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';

/**
 * At most this many statements per update command. Why: FerretDB 1.24 keeps one PostgreSQL connection per
 * statement that matched a document until the whole command ends (and needs one more to write), so a bulkWrite
 * updating more documents than its pool holds (8 for test instances) hangs every client of that FerretDB.
 */
const STATEMENTS_PER_COMMAND = 4;

/** bulkWrite in small commands, one after the other (see STATEMENTS_PER_COMMAND). */
export async function chunkedBulkWrite<T extends Document>(collection: Collection<T>, ops: ReadonlyArray<AnyBulkWriteOperation<T>>): Promise<void> {
  for (let i = 0; i < ops.length; i += STATEMENTS_PER_COMMAND) {
    await collection.bulkWrite(ops.slice(i, i + STATEMENTS_PER_COMMAND), { ordered: false });
  }
}
