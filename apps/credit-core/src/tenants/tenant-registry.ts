import type { RecordConsumptionBatchItem, RecordConsumptionRequest } from '@allot/contracts';
import { TenantActor } from './tenant-actor';
import { renewOwnedLeases } from './tenant-lease';
import type { TenantActorDeps } from './tenant-types';

/** Sends part of a call to the replica that owns a tenant (set by core.ts from the gRPC transport). */
export interface PeerCalls {
  /** Records events of one tenant at its owner, as part of the call being served; null when that is not allowed. */
  recordAt(address: string, events: readonly RecordConsumptionRequest[]): Promise<RecordConsumptionBatchItem[]> | null;
}

/** What the registry does with an actor. */
export interface RegistryActor {
  /** Nothing queued or running, nothing loaded, no lease: forgetting it loses nothing. */
  readonly forgettable: boolean;
  /** Called once if the actor's queue gets stuck on the database (the registry then forgets it). */
  onStuck?: (() => void) | null;
  /** Loaded and holding its lease: renewed with the others in one round trip. */
  readonly renewable: boolean;
  leaseRenewed(expiresAtMs: number): void;
  renewLease(): Promise<void>;
  drain(deadlineMs: number): Promise<void>;
}

/** Actors kept before the registry sweeps out the forgettable ones (then twice what is left). */
export const SWEEP_AT_ACTORS = 1_000;

/**
 * One actor per tenant this replica has served; the ones it owns keep their lease renewed. Actors of unknown
 * tenants (a NOT_FOUND load), of tenants another replica owns, or idle and unloaded ones are swept out once many
 * accumulate, so ids sent by anyone cannot grow the map without bound.
 */
export class TenantRegistry<A extends RegistryActor = TenantActor> {
  private readonly actors = new Map<string, A>();
  private readonly renewTimer: ReturnType<typeof setInterval>;
  private sweepAt = SWEEP_AT_ACTORS;
  private renewing = false;
  peers: PeerCalls = { recordAt: () => null };

  constructor(
    private readonly deps: TenantActorDeps,
    private readonly create: (tenantId: string, deps: TenantActorDeps) => A = (tenantId, d) => new TenantActor(tenantId, d) as unknown as A,
  ) {
    // Renewed at a third of the lease, so one missed renewal does not lose it.
    this.renewTimer = setInterval(() => void this.renewAll(), Math.max(200, Math.floor(deps.leaseMs / 3)));
    this.renewTimer.unref();
  }

  get(tenantId: string): A {
    let actor = this.actors.get(tenantId);
    if (actor === undefined) {
      if (this.actors.size >= this.sweepAt) this.sweep();
      const created = this.create(tenantId, this.deps);
      // A stuck actor is replaced: the next call loads the tenant afresh (and takes the lease with a new token).
      created.onStuck = () => {
        if (this.actors.get(tenantId) === created) this.actors.delete(tenantId);
      };
      this.actors.set(tenantId, created);
      actor = created;
    }
    return actor;
  }

  /** How many actors are held (diagnostics and tests). */
  get size(): number {
    return this.actors.size;
  }

  private sweep(): void {
    for (const [id, a] of this.actors) if (a.forgettable) this.actors.delete(id);
    this.sweepAt = Math.max(SWEEP_AT_ACTORS, this.actors.size * 2);
  }

  private async renewAll(): Promise<void> {
    // A slow round is not overlapped by the next one.
    if (this.renewing) return;
    this.renewing = true;
    try {
      const held = [...this.actors].filter(([, a]) => a.renewable);
      if (held.length === 0) return;
      const until = await renewOwnedLeases(this.deps.c, this.deps.replica.id, held.map(([id]) => id), this.deps.leaseMs).catch(() => null);
      if (until !== null) for (const [, a] of held) a.leaseRenewed(until);
      // Some lease was lost (or the database did not answer): one by one, which finds and drops the lost ones.
      else await Promise.all(held.map(([, a]) => a.renewLease()));
    } finally {
      this.renewing = false;
    }
  }

  /** Finishes every tenant's queued work by the deadline, writes projections, releases the leases. */
  async drainAll(deadlineMs: number): Promise<void> {
    clearInterval(this.renewTimer);
    await Promise.all([...this.actors.values()].map((a) => a.drain(deadlineMs)));
  }
}
