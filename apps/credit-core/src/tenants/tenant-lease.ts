import type { Collections, TenantDoc, TenantLease as LeaseDoc } from '../storage/collections';
import { UnavailableError, tenantNotFound } from '../shared/core-error';

/** Where a tenant's calls go when this replica does not own it. */
export class NotOwnerError extends UnavailableError {
  override readonly name: string = 'NotOwnerError';
  constructor(
    readonly tenantId: string,
    readonly ownerAddress: string,
    /** Until when (wall clock ms) that replica holds the lease, as last read. */
    readonly untilMs: number,
  ) {
    super(`tenant ${tenantId} is served by the core at ${ownerAddress}`);
  }
}

/** A write of this replica was refused because another replica took the tenant over. */
export class FencedError extends UnavailableError {
  override readonly name: string = 'FencedError';
}

/**
 * One replica at a time writes a tenant: the owner holds a lease in the tenant document (owner, address, token,
 * expiry) and renews it while it serves the tenant. Every commit, projection high-water mark and renewal is a
 * conditional update on `lease.token`, so a replica that lost the lease (paused, partitioned, presumed dead) can
 * no longer commit anything: its update matches nothing and it drops the tenant. A new owner takes an expired
 * lease (or one held under its own address: the same replica restarted) and raises the token.
 *
 * Time is the wall clock (never the test clock), so replicas on several machines need clocks within a second.
 */
export class TenantLease {
  token = 0;
  expiresAtMs = 0;

  constructor(
    private readonly tenantId: string,
    private readonly c: Collections,
    private readonly replica: { readonly id: string; readonly address: () => string },
    private readonly leaseMs: number,
  ) {}

  /** True while this replica may act as owner without renewing first (a margin before the expiry). */
  held(nowMs = Date.now()): boolean {
    return this.token > 0 && nowMs < this.expiresAtMs - Math.min(1_000, this.leaseMs / 4);
  }

  /**
   * Takes the lease (NotOwnerError while another live replica holds it); returns the tenant with its new lease,
   * and whether the previous owner released it (stopped cleanly) or never held it.
   */
  async acquire(): Promise<{ tenant: TenantDoc; cleanHandover: boolean; previousOwner: string | undefined; previousToken: number }> {
    const tenant = await this.c.tenants.findOne({ _id: this.tenantId });
    if (tenant === null) throw tenantNotFound(this.tenantId);
    const now = Date.now();
    const current = tenant.lease;
    const address = this.replica.address();
    const mine = current !== undefined && (current.owner === this.replica.id || current.address === address);
    if (current !== undefined && !mine && current.expiresAtMs > now) throw new NotOwnerError(this.tenantId, current.address, current.expiresAtMs);
    const lease: LeaseDoc = { owner: this.replica.id, address, token: (current?.token ?? 0) + 1, expiresAtMs: now + this.leaseMs };
    const filter = current === undefined ? { _id: this.tenantId, lease: { $exists: false } } : { _id: this.tenantId, 'lease.token': current.token };
    const r = await this.c.tenants.updateOne(filter, { $set: { lease } });
    if (r.matchedCount !== 1) throw new UnavailableError(`tenant ${this.tenantId} was just taken over by another core; retry`);
    this.token = lease.token;
    this.expiresAtMs = lease.expiresAtMs;
    return { tenant: { ...tenant, lease }, cleanHandover: current === undefined || current.expiresAtMs === 0, previousOwner: current?.address, previousToken: current?.token ?? 0 };
  }

  /** Renews the lease; false when it was lost (another replica owns the tenant now). */
  async renew(): Promise<boolean> {
    return this.guardedSet({});
  }

  /** The commit point of a group: committedSeq raised under the lease. Throws FencedError when the lease is lost. */
  async commit(committedSeq: number): Promise<void> {
    if (!(await this.guardedSet({ committedSeq }))) throw new FencedError(`tenant ${this.tenantId}: lease lost before commit; retry`);
  }

  /** Raises the projections' high-water mark under the lease. */
  async setProjected(projectedSeq: number, extra: Partial<TenantDoc> = {}): Promise<void> {
    if (!(await this.guardedSet({ projectedSeq, ...extra }))) throw new FencedError(`tenant ${this.tenantId}: lease lost; projections left to the new owner`);
  }

  /** Gives the lease up (graceful shutdown), so another replica takes the tenant at once. */
  async release(): Promise<void> {
    if (this.token === 0) return;
    const token = this.token;
    this.token = 0;
    await this.c.tenants.updateOne({ _id: this.tenantId, 'lease.token': token }, { $set: { 'lease.expiresAtMs': 0 } });
  }

  /** A renewal of many leases at once (renewOwnedLeases) matched this one: it now runs until expiresAtMs. */
  renewedUntil(expiresAtMs: number): void {
    if (this.token > 0) this.expiresAtMs = expiresAtMs;
  }

  forget(): void {
    this.token = 0;
    this.expiresAtMs = 0;
  }

  private async guardedSet(set: Partial<TenantDoc>): Promise<boolean> {
    if (this.token === 0) return false;
    const expiresAtMs = Date.now() + this.leaseMs;
    const r = await this.c.tenants.updateOne({ _id: this.tenantId, 'lease.token': this.token }, { $set: { ...set, 'lease.expiresAtMs': expiresAtMs } });
    if (r.matchedCount !== 1) {
      this.forget();
      return false;
    }
    this.expiresAtMs = expiresAtMs;
    return true;
  }
}

/**
 * Renews, in one round trip, the leases this replica holds on `tenantIds` (instead of one update per tenant every
 * renewal: a hundred loaded tenants meant a hundred updates a second, and their event-loop and database work showed
 * in every answer's tail latency). Matched by owner id, which is unique per process start. Returns the new expiry
 * when every lease matched; null when some did not (a lease was lost: the caller renews one by one to find it).
 */
export async function renewOwnedLeases(c: Collections, replicaId: string, tenantIds: readonly string[], leaseMs: number): Promise<number | null> {
  const expiresAtMs = Date.now() + leaseMs;
  const r = await c.tenants.updateMany({ _id: { $in: [...tenantIds] }, 'lease.owner': replicaId }, { $set: { 'lease.expiresAtMs': expiresAtMs } });
  return r.matchedCount === tenantIds.length ? expiresAtMs : null;
}
