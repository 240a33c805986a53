import { domainError, periodForEvent, periodOf, previousPeriod, type DomainError, type TrialState } from '@allot/domain';
import { duplicateKeyIndexes, type KeyClaimDoc, type LedgerDoc } from '../storage/collections';
import { journalChunksOf } from '../storage/journal-chunks';
import { ledgerIdOf, recordedOf } from '../storage/mappers';
import { UnavailableError, environmentNotFound, isUnavailable } from '../shared/core-error';
import { findRecorded, type WantedKey } from './duplicate-lookup';
import { GroupPlanner } from './group-planner';
import type { TenantLease } from './tenant-lease';
import type { RecentKeys } from './recent-keys';
import type { TenantMemory } from './tenant-memory';
import type { ProjectionFlush } from './projection-flush';
import type { ConsumptionEvent, RecordOutcome, TenantActorDeps, TenantConfig } from './tenant-types';

/** What a committed group leaves for the alerts. */
export interface CommittedGroup {
  readonly periods: readonly string[];
  readonly exhaustedTrials: readonly TrialState[];
}

const keyReused = (e: ConsumptionEvent, prior: Pick<LedgerDoc, 'credits' | 'environmentId' | 'userId'>): DomainError =>
  domainError(
    'ALREADY_EXISTS',
    'CONSUMPTION.KEY_REUSED',
    `idempotency_key ${e.idempotencyKey} was already used for another event (${prior.credits} credits in ${prior.environmentId} by ${prior.userId})`,
    'idempotency_key',
  );

const totalTooLarge = (e: ConsumptionEvent, period: string): DomainError =>
  domainError(
    'FAILED_PRECONDITION',
    'CONSUMPTION.TOTAL_TOO_LARGE',
    `${e.credits} more credits would take the tenant's consumption in ${period} beyond 2^53-1 (9007199254740991), the largest total kept exactly`,
    'credits',
  );

/**
 * Commits one group of consumption events (many requests, two round trips), as the tenant's single writer:
 *   1. keys seen lately are answered from memory (RecentKeys);
 *   2. the new events are planned in order against memory (draws, stage: group-planner.ts) and, at once, their
 *      keys are claimed (insertMany, ordered: false: the unique _id refuses a used key at insert time, whatever its
 *      age) and the events inserted into the journal;
 *   3. the commit point: committedSeq raised under the lease token. Only then are clients answered.
 * When some key was used already (a retry), the group is undone, the used keys (and late events, which may be
 * retries too) are looked up once for the group (duplicate-lookup.ts), and the rest is planned and written again.
 * Any failure undoes the group in memory and answers UNAVAILABLE (the client retries with the same keys).
 */
export async function commitGroup(
  deps: TenantActorDeps,
  memory: TenantMemory,
  lease: TenantLease,
  flush: ProjectionFlush,
  recent: RecentKeys,
  config: TenantConfig,
  events: readonly ConsumptionEvent[],
): Promise<{ outcomes: RecordOutcome[]; committed: CommittedGroup | null }> {
  const { c, clock } = deps;
  const t = memory.tenantId;
  const nowMs = clock.now();
  const outcomes: Array<RecordOutcome | undefined> = new Array(events.length);
  const startSeq = memory.seq;
  // The lease token makes the group's name this owner's own: a cleanup by it never touches another owner's group.
  const group = `${t}|${startSeq + 1}|${lease.token}`;
  const tz = config.tenant.timeZone;

  // 1. Repeats inside the group wait for their first occurrence; recent keys are answered from memory.
  const firstIndex = new Map<string, number>();
  const repeats: number[] = [];
  const toClaim: number[] = [];
  const late: number[] = [];
  events.forEach((e, i) => {
    const id = ledgerIdOf(t, e.idempotencyKey);
    if (firstIndex.has(id)) {
      repeats.push(i);
      return;
    }
    firstIndex.set(id, i);
    const hit = recent.get(id);
    if (hit !== undefined) {
      outcomes[i] =
        hit.fingerprint === e.fingerprint
          ? { ok: true, value: { ...hit.result, duplicate: true } }
          : { ok: false, error: keyReused(e, { credits: hit.result.credits, environmentId: hit.environmentId, userId: hit.userId }) };
      return;
    }
    if (!config.envs.has(e.environmentId)) {
      outcomes[i] = { ok: false, error: environmentNotFound(t, e.environmentId).error };
      return;
    }
    // A late event may be the retry of one recorded in time: it is looked up before it is refused.
    if (!periodForEvent(e.occurredAtMs, nowMs, tz).ok) late.push(i);
    else toClaim.push(i);
  });

  const claims: KeyClaimDoc[] = toClaim.map((i) => {
    const e = events[i] as ConsumptionEvent;
    const period = periodForEvent(e.occurredAtMs, nowMs, tz);
    return { _id: ledgerIdOf(t, e.idempotencyKey), tenantId: t, fingerprint: e.fingerprint, period: period.ok ? period.value : '', group };
  });
  /** Inserts the claims; returns the indexes (in events) of the keys the database refused as used. */
  const claimKeys = async (): Promise<number[]> => {
    if (claims.length === 0) return [];
    try {
      await c.keyClaims.insertMany(claims, { ordered: false });
      return [];
    } catch (e) {
      const dup = duplicateKeyIndexes(e);
      if (dup === null) throw unavailable('idempotency key claim failed', e);
      return toClaim.filter((_, k) => dup.has(k));
    }
  };
  const repeatSet = new Set(repeats);
  const planner = new GroupPlanner(t, group, startSeq, nowMs, memory, config, flush);
  const plan = async (claimed: ReadonlySet<number>): Promise<void> => {
    for (const [i, e] of events.entries()) {
      if (outcomes[i] !== undefined || repeatSet.has(i)) continue;
      const period = periodForEvent(e.occurredAtMs, nowMs, tz);
      // Late and not a retry of an event recorded in time: refused now.
      if (!period.ok) outcomes[i] = { ok: false, error: period.error };
      else if (claimed.has(i) && !(await planner.fits(e, period.value))) outcomes[i] = { ok: false, error: totalTooLarge(e, period.value) };
      else if (claimed.has(i)) outcomes[i] = { ok: true, value: recordedOf(await planner.add(e, period.value), false) };
    }
  };
  const writeJournal = async (): Promise<void> => {
    if (planner.docs.length > 0) await c.journal.insertMany(journalChunksOf(t, group, planner.docs), { ordered: true });
  };

  let refused: number[];
  if (late.length === 0) {
    // The common case, optimistic: every key is new. Claims and journal are written at once (one round trip); if
    // some key turns out to be used, the group is undone and planned again knowing it.
    await plan(new Set(toClaim));
    const [claimed, journal] = await Promise.allSettled([claimKeys(), writeJournal()]);
    refused = claimed.status === 'fulfilled' ? claimed.value : [];
    if (claimed.status === 'fulfilled' && refused.length === 0) {
      if (journal.status === 'rejected') throw planner.failed(journal.reason);
      await commit();
      return finish();
    }
    planner.undo();
    for (const i of toClaim) outcomes[i] = undefined;
    // An ordered insert refused part way (a retried key still in the journal) leaves the events before it: they go
    // too, or the group written next would collide with them on seq.
    if (planner.docs.length > 0) await c.journal.deleteMany({ tenantId: t, group }).catch((e: unknown) => Promise.reject(unavailable('journal cleanup failed', e)));
    planner.reset();
    if (claimed.status === 'rejected') throw claimed.reason;
  } else {
    refused = await claimKeys();
  }

  // Keys already used, and late events, are looked up in one batch; then the group is planned knowing them.
  const claimedNow = new Set(toClaim.filter((i) => !refused.includes(i)));
  const lookup = [...refused, ...late];
  const refusedSet = new Set(refused);
  const wanted: WantedKey[] = lookup.map((i) => {
    const e = events[i] as ConsumptionEvent;
    const p = periodOf(e.occurredAtMs, tz);
    return { id: ledgerIdOf(t, e.idempotencyKey), periods: e.occurredAtGiven ? [p] : [p, previousPeriod(p)], askClaim: !e.occurredAtGiven };
  });
  let found: Map<string, LedgerDoc>;
  try {
    found = await findRecorded(c, t, memory.seq, wanted);
  } catch (e) {
    throw unavailable('ledger lookup failed', e);
  }
  for (const i of lookup) {
    const e = events[i] as ConsumptionEvent;
    const prior = found.get(ledgerIdOf(t, e.idempotencyKey));
    if (prior !== undefined) {
      outcomes[i] = prior.fingerprint === e.fingerprint ? { ok: true, value: recordedOf(prior, true) } : { ok: false, error: keyReused(e, prior) };
      recent.set(prior._id, { fingerprint: prior.fingerprint, environmentId: prior.environmentId, userId: prior.userId, result: recordedOf(prior, false) });
    } else if (refusedSet.has(i)) {
      // A claim without a committed event (a crash between claim and commit): the key was never acknowledged.
      claimedNow.add(i);
    }
  }
  await plan(claimedNow);
  try {
    await writeJournal();
  } catch (e) {
    throw planner.failed(e);
  }
  await commit();
  return finish();

  /** The commit point; on any failure the group is undone in memory. */
  async function commit(): Promise<void> {
    if (planner.docs.length === 0) return;
    try {
      await lease.commit(startSeq + planner.docs.length);
    } catch (e) {
      throw planner.failed(e);
    }
    memory.seq = startSeq + planner.docs.length;
    planner.committed();
    for (const d of planner.docs) recent.set(d._id, { fingerprint: d.fingerprint, environmentId: d.environmentId, userId: d.userId, result: recordedOf(d, false) });
  }

  function finish(): { outcomes: RecordOutcome[]; committed: CommittedGroup | null } {
    // Repeats inside the group: answered like their first occurrence.
    for (const i of repeats) {
      const e = events[i] as ConsumptionEvent;
      const first = outcomes[firstIndex.get(ledgerIdOf(t, e.idempotencyKey)) ?? -1];
      const firstEvent = events[firstIndex.get(ledgerIdOf(t, e.idempotencyKey)) ?? -1];
      outcomes[i] =
        first === undefined || !first.ok
          ? first
          : firstEvent?.fingerprint === e.fingerprint
            ? { ok: true, value: { ...first.value, duplicate: true } }
            : { ok: false, error: keyReused(e, { credits: first.value.credits, environmentId: firstEvent?.environmentId ?? '?', userId: firstEvent?.userId ?? '?' }) };
    }
    return {
      outcomes: outcomes.map((o) => o ?? { ok: false, error: domainError('FAILED_PRECONDITION', 'CONSUMPTION.NOT_RECORDED', 'event not recorded') }),
      committed: planner.docs.length === 0 ? null : { periods: [...planner.periods], exhaustedTrials: planner.exhaustedTrials },
    };
  }
}

function unavailable(what: string, e: unknown): Error {
  if (e instanceof UnavailableError) return e;
  return new UnavailableError(`${what}, retry: ${(e as Error).message}${isUnavailable(e) ? '' : ' (unexpected)'}`);
}
