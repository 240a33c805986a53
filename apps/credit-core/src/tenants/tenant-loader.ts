import type { LedgerDoc } from '../storage/collections';
import { journalEventsOf } from '../storage/journal-chunks';
import { recordedOf, trialFromDoc } from '../storage/mappers';
import type { ProjectionFlush } from './projection-flush';
import type { RecentKeys } from './recent-keys';
import type { TenantLease } from './tenant-lease';
import type { TenantMemory } from './tenant-memory';
import type { TenantActorDeps, TenantConfig } from './tenant-types';

/**
 * Loads a tenant in constant time, whatever the size of its ledger: it takes the lease, reads the configuration,
 * trials and the tenant's journal (the events above the projections' high-water mark, a small collection), and
 * nothing else. Journal events above the commit point were never acknowledged and are deleted, with the claims
 * of their group when the last owner did not stop cleanly. Committed ones are replayed: trials at once, a
 * period's usage and rollups when that period loads (the caller loads those periods right away, so the next
 * projection flush writes them and empties the journal).
 */
export async function loadTenant(
  deps: TenantActorDeps,
  memory: TenantMemory,
  lease: TenantLease,
  flush: ProjectionFlush,
  recent: RecentKeys,
  cleanClaims: boolean,
): Promise<{ config: TenantConfig; replayPeriods: string[] }> {
  const { c } = deps;
  const t = memory.tenantId;
  const { tenant, cleanHandover, previousOwner, previousToken } = await lease.acquire();
  deps.logger.info('tenant lease taken', { tenant: t, token: lease.token, from: previousOwner ?? '-', clean: cleanHandover });
  const [envs, entitlements, trialDocs, journalDocs] = await Promise.all([
    c.environments.find({ tenantId: t }).toArray(),
    c.entitlements.find({ tenantId: t }).toArray(),
    c.trials.find({ tenantId: t }).toArray(),
    c.journal.find({ tenantId: t }).toArray(),
  ]);
  const journal = journalEventsOf(journalDocs);
  const projectedSeq = tenant.projectedSeq ?? 0;
  const committedSeq = Math.max(tenant.committedSeq ?? projectedSeq, projectedSeq);
  const uncommitted = journal.filter((d) => d.seq > committedSeq);
  if (uncommitted.length > 0) await c.journal.deleteMany({ tenantId: t, seq: { $gt: committedSeq } });
  // Claims of the group that was being written when the last owner stopped (only that group can be in flight:
  // groups are committed one after the other). Without this a retry of one of them is still right, only slower.
  if (cleanClaims || uncommitted.length > 0 || !cleanHandover) {
    // Named by its first seq and the previous owner's token (cores before the token: the first seq alone).
    const groups = [`${t}|${committedSeq + 1}|${previousToken}`, `${t}|${committedSeq + 1}`];
    await c.keyClaims.deleteMany({ tenantId: t, group: { $in: groups } });
  }

  const committed: LedgerDoc[] = journal.filter((d) => d.seq <= committedSeq).sort((a, b) => a.seq - b.seq);
  const trials = new Map(trialDocs.map((d) => [d.userId, trialFromDoc(d)]));
  const trialSeq = new Map(trialDocs.map((d) => [d.userId, d.seq ?? projectedSeq]));
  for (const e of committed) {
    const trial = trials.get(e.userId);
    if (trial === undefined || e.trialCredits === 0 || e.trialTerm !== trial.extensions || e.seq <= (trialSeq.get(e.userId) ?? 0)) continue;
    trial.consumed += e.trialCredits;
    if (trial.consumed >= trial.credits) trial.status = 'EXHAUSTED';
    flush.markTrial(e.userId);
  }
  memory.replay.clear();
  for (const e of committed) {
    if (e.seq <= projectedSeq) continue;
    memory.replay.set(e.period, [...(memory.replay.get(e.period) ?? []), e]);
  }
  // Copies to the ledger partitions are idempotent: the ones a crash interrupted (or not done yet) are done again.
  flush.addCommitted(committed);
  for (const e of committed) recent.set(e._id, { fingerprint: e.fingerprint, environmentId: e.environmentId, userId: e.userId, result: recordedOf(e, false) });
  memory.seq = committedSeq;
  const config: TenantConfig = { tenant, envs: new Map(envs.map((e) => [e.environmentId, e])), entitlements, trials };
  if (committed.length > 0 || uncommitted.length > 0) {
    deps.logger.info('tenant loaded from its journal', { tenant: t, projectedSeq, committedSeq, replayed: committed.length, dropped: uncommitted.length });
  }
  return { config, replayPeriods: [...memory.replay.keys()] };
}
