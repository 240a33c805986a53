import { TenantActor, type TenantActorDeps } from './tenant-actor';

/** One actor per tenant in this process (several replicas route by tenant; see README deployment notes). */
export class TenantRegistry {
  private readonly actors = new Map<string, TenantActor>();

  constructor(private readonly deps: TenantActorDeps) {}

  get(tenantId: string): TenantActor {
    let actor = this.actors.get(tenantId);
    if (actor === undefined) {
      actor = new TenantActor(tenantId, this.deps);
      this.actors.set(tenantId, actor);
    }
    return actor;
  }

  /** Waits until every queued write of every tenant is committed (graceful shutdown). */
  async drainAll(): Promise<void> {
    await Promise.all([...this.actors.values()].map((a) => a.drain()));
  }
}
