import type { AggregationCursor, Document } from 'mongodb';

/**
 * $group with several $sum accumulators, as one aggregation per accumulator merged by group key.
 * Why: FerretDB 1.24 computes only the FIRST accumulator of a $group and answers 0 for the others (seen on this
 * machine: {k: {$sum: '$one'}, s: {$sum: '$n'}} gives s = 0). One accumulator per pipeline is right on both
 * FerretDB and MongoDB; the pipelines run in parallel.
 */
export async function groupSums<K, F extends string>(
  collection: { aggregate<T extends Document>(pipeline: Document[]): AggregationCursor<T> },
  match: Document,
  groupKey: string | Record<string, string>,
  fields: Readonly<Record<F, string>>,
): Promise<Array<{ key: K } & Record<F, number>>> {
  const names = Object.keys(fields) as F[];
  const results = await Promise.all(
    names.map((name) =>
      collection
        .aggregate<{ _id: K; v: number }>([{ $match: match }, { $group: { _id: groupKey, v: { $sum: fields[name] } } }])
        .toArray(),
    ),
  );
  const merged = new Map<string, { key: K } & Record<F, number>>();
  results.forEach((rows, i) => {
    const name = names[i] as F;
    for (const row of rows) {
      const id = JSON.stringify(row._id ?? null);
      let entry = merged.get(id);
      if (entry === undefined) {
        entry = { key: row._id, ...Object.fromEntries(names.map((n) => [n, 0])) } as { key: K } & Record<F, number>;
        merged.set(id, entry);
      }
      (entry as Record<F, number>)[name] = row.v ?? 0;
    }
  });
  return [...merged.values()];
}
