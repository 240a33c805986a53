import { describe, expect, it } from 'vitest';
import type { LedgerDoc } from './ledger-docs';
import { JOURNAL_CHUNK_EVENTS, journalChunksOf, journalEventsOf } from './journal-chunks';

const event = (seq: number): LedgerDoc => ({
  _id: `t|k${seq}`,
  tenantId: 't',
  seq,
  idempotencyKey: `k${seq}`,
  fingerprint: `f${seq}`,
  environmentId: 'prod',
  userId: 'u1',
  operation: 'RUN',
  credits: seq % 7,
  capability: '',
  quantity: 0,
  sourceId: '',
  occurredAt: new Date(Date.UTC(2026, 11, 5, 10, 0, seq % 60)),
  recordedAt: new Date(Date.UTC(2026, 11, 5, 10, 1, 0)),
  period: '2026-12',
  localDate: '2026-12-05',
  draws: [{ source: 'ALLOCATION', credits: seq % 7 }],
  allocationCredits: seq % 7,
  unassignedCredits: 0,
  trialCredits: 0,
  overageCredits: 0,
  trialTerm: 0,
  stage: 'NORMAL',
  group: 't|1|3',
});

describe('journal chunks', () => {
  it('splits a group into chunks named by their first seq, each carrying its last seq', () => {
    const events = Array.from({ length: JOURNAL_CHUNK_EVENTS * 2 + 5 }, (_, i) => event(101 + i));
    const chunks = journalChunksOf('t', 't|101|3', events);
    expect(chunks.map((c) => [c._id, c.firstSeq, c.seq])).toEqual([
      ['t|101', 101, 1100],
      ['t|1101', 1101, 2100],
      ['t|2101', 2101, 2105],
    ]);
    expect(chunks.every((c) => c.group === 't|101|3' && c.tenantId === 't')).toBe(true);
  });

  it('reads back exactly the events written, dates as dates, and reads single-event documents of older journals', () => {
    const events = [event(1), event(2), event(3)];
    const back = journalEventsOf([...journalChunksOf('t', 'g', events.slice(0, 2)), events[2] as LedgerDoc]);
    expect(back).toEqual(events);
    expect(back[0]?.occurredAt).toBeInstanceOf(Date);
  });
});
