import { domainError, localDateOf, periodForEvent, periodOf, previousPeriod, sumDraws, type DomainError, type TrialState } from '@allot/domain';
import { duplicateKeyIndexes, type KeyClaimDoc, type LedgerDoc } from '../storage/collections';
import { ledgerIdOf, recordedOf, rollupIdOf } from '../storage/mappers';
import { UnavailableError, environmentNotFound, isUnavailable } from '../shared/core-error';
import { addToRollup } from './ledger-truth';
import { findRecorded, type WantedKey } from './duplicate-lookup';
import { MemoryCheckpoint } from './memory-checkpoint';
import { FencedError, type TenantLease } from './tenant-lease';
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

/**
 * Commits one group of consumption events (many requests, a few round trips), as the tenant's single writer:
 *   1. keys seen lately are answered from memory (RecentKeys);
 *   2. the other keys are claimed (insertMany, ordered: false): the unique _id refuses a used key at insert time,
 *      whatever its age; refused keys and late events are looked up once for the group (duplicate-lookup.ts);
 *   3. new events are planned in order against memory (draws, stage) and inserted into the journal;
 *   4. the commit point: committedSeq raised under the lease token. Only then are clients answered.
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
  const group = `${t}|${startSeq + 1}`;
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

  // 2. Claim the keys; the refused ones (and late events) are looked up in one batch.
  const claimed = new Set<number>();
  const refused: number[] = [];
  if (toClaim.length > 0) {
    const claims: KeyClaimDoc[] = toClaim.map((i) => {
      const e = events[i] as ConsumptionEvent;
      const period = periodForEvent(e.occurredAtMs, nowMs, tz);
      return { _id: ledgerIdOf(t, e.idempotencyKey), tenantId: t, fingerprint: e.fingerprint, period: period.ok ? period.value : '', group };
    });
    try {
      await c.keyClaims.insertMany(claims, { ordered: false });
      toClaim.forEach((i) => claimed.add(i));
    } catch (e) {
      const dup = duplicateKeyIndexes(e);
      if (dup === null) throw unavailable('idempotency key claim failed', e);
      toClaim.forEach((i, k) => (dup.has(k) ? refused.push(i) : claimed.add(i)));
    }
  }
  const lookup = [...refused, ...late];
  const refusedSet = new Set(refused);
  const repeatSet = new Set(repeats);
  if (lookup.length > 0) {
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
        claimed.add(i);
      }
    }
  }

  // 3. Plan the new events in order; the checkpoint undoes them if the write fails.
  const checkpoint = new MemoryCheckpoint({
    usageOf: (p) => memory.periods.get(p)?.usage,
    rollupsOf: (p) => memory.periods.get(p)?.rollups,
    trials: config.trials,
  });
  const docs: LedgerDoc[] = [];
  const touched: Array<() => void> = [];
  const periods = new Set<string>();
  const exhaustedTrials: TrialState[] = [];
  for (const [i, e] of events.entries()) {
    if (outcomes[i] !== undefined || repeatSet.has(i)) continue;
    // Late and not a retry of an event recorded in time: refused now.
    const period = periodForEvent(e.occurredAtMs, nowMs, tz);
    if (!claimed.has(i) || !period.ok) {
      if (period.ok) throw new Error(`event ${e.idempotencyKey} neither claimed nor late`);
      outcomes[i] = { ok: false, error: period.error };
      continue;
    }
    const p = period.value;
    const loaded = await memory.period(config, p);
    const draws = loaded.state.planDraws(e.environmentId, e.userId, e.credits, nowMs);
    const trial = config.trials.get(e.userId);
    const trialWasExhausted = trial?.status === 'EXHAUSTED';
    checkpoint.usageOf(p, e.environmentId);
    checkpoint.trialOf(e.userId);
    loaded.state.record(e.environmentId, e.userId, draws);
    const sums = sumDraws(draws);
    if (sums.TRIAL > 0 && trial !== undefined) {
      touched.push(() => flush.markTrial(e.userId));
      if (!trialWasExhausted && trial.status === 'EXHAUSTED') exhaustedTrials.push(trial);
    }
    touched.push(() => flush.markUsage(p, e.environmentId, loaded));
    periods.add(p);
    const localDate = localDateOf(e.occurredAtMs, tz);
    const rollupKey = { period: p, localDate, environmentId: e.environmentId, userId: e.userId, capability: e.capability };
    const rollupId = rollupIdOf(t, rollupKey);
    checkpoint.rollupOf(p, rollupId);
    let r = loaded.rollups.get(rollupId);
    if (r === undefined) {
      r = { _id: rollupId, tenantId: t, ...rollupKey, credits: 0, events: 0, trialCredits: 0, overageCredits: 0, seq: 0 };
      loaded.rollups.set(rollupId, r);
    }
    addToRollup(r, { credits: e.credits, trialCredits: sums.TRIAL, overageCredits: sums.OVERAGE });
    touched.push(() => flush.markRollup(rollupId, p, loaded));
    const doc: LedgerDoc = {
      _id: ledgerIdOf(t, e.idempotencyKey),
      tenantId: t,
      seq: startSeq + docs.length + 1,
      idempotencyKey: e.idempotencyKey,
      fingerprint: e.fingerprint,
      environmentId: e.environmentId,
      userId: e.userId,
      operation: e.operation,
      credits: e.credits,
      capability: e.capability,
      quantity: e.quantity,
      sourceId: e.sourceId,
      occurredAt: new Date(e.occurredAtMs),
      recordedAt: new Date(nowMs),
      period: p,
      localDate,
      draws: draws.map((d) => ({ source: d.source, credits: d.credits })),
      allocationCredits: sums.ALLOCATION,
      unassignedCredits: sums.UNASSIGNED,
      trialCredits: sums.TRIAL,
      overageCredits: sums.OVERAGE,
      trialTerm: trial?.extensions ?? 0,
      stage: loaded.state.balanceOf(e.environmentId).stage,
      group,
    };
    docs.push(doc);
    outcomes[i] = { ok: true, value: recordedOf(doc, false) };
  }

  // 4. Journal, then the commit point.
  if (docs.length > 0) {
    try {
      await c.journal.insertMany(docs, { ordered: true });
      await lease.commit(startSeq + docs.length);
    } catch (e) {
      checkpoint.restore();
      // A duplicate seq or key in the journal means another replica wrote this tenant: it is not ours any more.
      if (e instanceof FencedError || duplicateKeyIndexes(e) !== null) throw new FencedError(`tenant ${t} is being written by another core; retry`);
      throw unavailable('ledger write failed', e);
    }
    memory.seq = startSeq + docs.length;
    flush.addCommitted(docs);
    for (const mark of touched) mark();
    for (const d of docs) recent.set(d._id, { fingerprint: d.fingerprint, environmentId: d.environmentId, userId: d.userId, result: recordedOf(d, false) });
  }

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
    committed: docs.length === 0 ? null : { periods: [...periods], exhaustedTrials },
  };
}

function unavailable(what: string, e: unknown): Error {
  if (e instanceof UnavailableError) return e;
  return new UnavailableError(`${what}, retry: ${(e as Error).message}${isUnavailable(e) ? '' : ' (unexpected)'}`);
}
