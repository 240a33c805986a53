/** The check that closes every scenario: the ledger, the core's projections (GetBalance) and the expected sums agree. */
import type { Db } from 'mongodb';
import type { CoreClient } from '@allot/grpc-client';
import type { ExactnessCheck } from './results';

/**
 * The ledger's collections: one partition per period (`ledger_2026_12`), the journal (`ledger_journal`), where an
 * acknowledged event stays until the projections include it, and a v1 database's single `ledger`.
 */
export async function ledgerCollections(db: Db): Promise<string[]> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  // The journal first: an event leaves it only after it was copied into its partition, so reading the journal
  // before the partitions never misses one that moves in between.
  const journal = names.filter((n) => n === 'ledger_journal');
  return [...journal, ...names.filter((n) => /^ledger(_\d{4}_\d{2})?$/.test(n)).sort()];
}

/**
 * Events and credits of a tenant's ledger, read straight from the database. An event may be in the journal and in
 * its partition at once (between the two writes), so each event id counts once.
 */
export async function ledgerTotals(db: Db, tenantId: string): Promise<{ events: number; credits: number }> {
  const seen = new Set<string>();
  let credits = 0;
  for (const name of await ledgerCollections(db)) {
    // The journal holds a document per commit group (its `events`, as JSON), or one per event on older databases.
    const projection = name === 'ledger_journal' ? undefined : { _id: 1, credits: 1 };
    const cursor = db.collection(name).find({ tenantId }, { ...(projection ? { projection } : {}), batchSize: 10_000, maxTimeMS: 120_000 });
    for await (const doc of cursor) {
      const events = doc['events'];
      for (const e of typeof events === 'string' ? (JSON.parse(events) as Array<Record<string, unknown>>) : [doc]) {
        const id = String(e['_id']);
        if (seen.has(id)) continue;
        seen.add(id);
        credits += Number(e['credits'] ?? 0);
      }
    }
  }
  return { events: seen.size, credits };
}

/** What the core reports as consumed by the whole tenant in the current period. */
export async function projectedCredits(client: CoreClient, tenantId: string): Promise<number> {
  const balance = await client.reporting.getBalance({ tenantId, environmentId: '', userId: '', period: '' }, { timeoutMs: 60_000 });
  return balance.consumed;
}

/**
 * Compares, over `tenants` together, the ledger with GetBalance and with `expected` (null: the load generator
 * reported failed calls, so only ledger = projections can be checked; that is said in the detail).
 */
export async function checkExact(
  db: Db,
  client: CoreClient,
  scenario: string,
  tenants: readonly string[],
  expected: { events: number; credits: number } | null,
): Promise<ExactnessCheck> {
  process.stderr.write(`  exactness: ${scenario} (${tenants.length} tenant${tenants.length > 1 ? 's' : ''})\n`);
  let ledgerEvents = 0;
  let ledgerCredits = 0;
  let projected = 0;
  try {
    for (const t of tenants) {
      const [l, p] = await Promise.all([ledgerTotals(db, t), projectedCredits(client, t)]);
      ledgerEvents += l.events;
      ledgerCredits += l.credits;
      projected += p;
    }
  } catch (e) {
    return {
      scenario,
      expectedEvents: expected?.events ?? Number.NaN,
      ledgerEvents: Number.NaN,
      expectedCredits: expected?.credits ?? Number.NaN,
      ledgerCredits: Number.NaN,
      projectedCredits: Number.NaN,
      exact: false,
      detail: `could not be read: ${(e as Error).message.slice(0, 120)}`,
    };
  }
  const matchesLedger = projected === ledgerCredits;
  const matchesExpected = expected === null || (expected.events === ledgerEvents && expected.credits === ledgerCredits);
  const detail = [
    matchesLedger ? '' : `GetBalance ${projected} vs ledger ${ledgerCredits}`,
    expected === null ? 'calls failed, so the expected totals are unknown; ledger vs GetBalance only' : '',
    matchesExpected ? '' : 'ledger differs from what the acknowledged calls carried',
  ]
    .filter(Boolean)
    .join('; ');
  return {
    scenario,
    expectedEvents: expected?.events ?? Number.NaN,
    ledgerEvents,
    expectedCredits: expected?.credits ?? Number.NaN,
    ledgerCredits,
    projectedCredits: projected,
    exact: matchesLedger && matchesExpected && expected !== null,
    ...(detail ? { detail } : {}),
  };
}
