import type { JournalChunkDoc, JournalDoc, LedgerDoc } from './ledger-docs';

/** Events per journal document: ~600 KB of JSON, far below a document's 16 MB. */
export const JOURNAL_CHUNK_EVENTS = 1_000;

/** The journal documents of a commit group's events (in seq order). */
export function journalChunksOf(tenantId: string, group: string, events: readonly LedgerDoc[]): JournalChunkDoc[] {
  const chunks: JournalChunkDoc[] = [];
  for (let i = 0; i < events.length; i += JOURNAL_CHUNK_EVENTS) {
    const part = events.slice(i, i + JOURNAL_CHUNK_EVENTS);
    const firstSeq = (part[0] as LedgerDoc).seq;
    const seq = (part[part.length - 1] as LedgerDoc).seq;
    chunks.push({ _id: `${tenantId}|${firstSeq}`, tenantId, group, firstSeq, seq, events: JSON.stringify(part) });
  }
  return chunks;
}

/** The events of journal documents, chunks and single events alike. */
export function journalEventsOf(docs: readonly JournalDoc[]): LedgerDoc[] {
  return docs.flatMap((d) => {
    if (!('events' in d)) return [d];
    return (JSON.parse(d.events) as LedgerDoc[]).map((e) => ({ ...e, occurredAt: new Date(e.occurredAt), recordedAt: new Date(e.recordedAt) }));
  });
}
