import type { RecordConsumptionBatchItem, RecordConsumptionRequest } from '@allot/contracts';
import { TenantActor } from './tenant-actor';
import type { TenantActorDeps } from './tenant-types';

/** Sends part of a call to the replica that owns a tenant (set by core.ts from the gRPC transport). */
export interface PeerCalls {
  /** Records events of one tenant at its owner, as part of the call being served; null when that is not allowed. */
  recordAt(address: string, events: readonly RecordConsumptionRequest[]): Promise<RecordConsumptionBatchItem[]> | null;
}

/** One actor per tenant this replica has served; the ones it owns keep their lease renewed. */
export class TenantRegistry {
  private readonly actors = new Map<string, TenantActor>();
  private readonly renewTimer: ReturnType<typeof setInterval>;
  peers: PeerCalls = { recordAt: () => null };

  constructor(private readonly deps: TenantActorDeps) {
    // Renewed at a third of the lease, so one missed renewal does not lose it.
    this.renewTimer = setInterval(() => void this.renewAll(), Math.max(200, Math.floor(deps.leaseMs / 3)));
    this.renewTimer.unref();
  }

  get(tenantId: string): TenantActor {
    let actor = this.actors.get(tenantId);
    if (actor === undefined) {
      actor = new TenantActor(tenantId, this.deps);
      this.actors.set(tenantId, actor);
    }
    return actor;
  }

  private async renewAll(): Promise<void> {
    await Promise.all([...this.actors.values()].map((a) => a.renewLease()));
  }

  /** Finishes every tenant's queued work by the deadline, writes projections, releases the leases. */
  async drainAll(deadlineMs: number): Promise<void> {
    clearInterval(this.renewTimer);
    await Promise.all([...this.actors.values()].map((a) => a.drain(deadlineMs)));
  }
}
