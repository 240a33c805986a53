import { afterEach, describe, expect, it } from 'vitest';
import { SWEEP_AT_ACTORS, TenantRegistry, type RegistryActor } from './tenant-registry';
import type { TenantActorDeps } from './tenant-types';

class FakeActor implements RegistryActor {
  forgettable: boolean;
  readonly renewable: boolean = false;
  constructor(readonly tenantId: string) {
    // Tenants named "real-…" load and stay; anything else is an unknown id whose load failed.
    this.forgettable = !tenantId.startsWith('real-');
  }
  leaseRenewed(): void {}
  async renewLease(): Promise<void> {}
  async drain(): Promise<void> {}
}

const registries: Array<TenantRegistry<FakeActor>> = [];

/** Waits for the registry's renewal timer to have done something (no wall-clock budget: the test's timeout). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 20));
}
const registry = (): TenantRegistry<FakeActor> => {
  const r = new TenantRegistry<FakeActor>({ leaseMs: 3_000 } as TenantActorDeps, (id) => new FakeActor(id));
  registries.push(r);
  return r;
};
afterEach(async () => {
  for (const r of registries.splice(0)) await r.drainAll(Date.now());
});

describe('TenantRegistry', () => {
  it('stays bounded however many unknown tenant ids are asked for', () => {
    const r = registry();
    for (let i = 0; i < 50_000; i++) r.get(`random-${i}`);
    expect(r.size).toBeLessThanOrEqual(SWEEP_AT_ACTORS);
  });

  it('never forgets a tenant it serves, and keeps one actor per tenant', () => {
    const r = registry();
    const served = Array.from({ length: 1_500 }, (_, i) => r.get(`real-${i}`));
    for (let i = 0; i < 20_000; i++) r.get(`random-${i}`);
    served.forEach((actor, i) => expect(r.get(`real-${i}`)).toBe(actor));
    expect(r.size).toBeLessThan(1_500 + 2 * SWEEP_AT_ACTORS * 2);
  });

  it('renews the leases it holds in one update, and one by one when some lease was lost', async () => {
    const renewed: string[] = [];
    const single: string[] = [];
    class Holder extends FakeActor {
      override readonly renewable = true;
      override leaseRenewed(): void {
        renewed.push(this.tenantId);
      }
      override async renewLease(): Promise<void> {
        single.push(this.tenantId);
      }
    }
    let lost = 0;
    const updates: unknown[] = [];
    const c = {
      tenants: {
        updateMany: async (filter: { _id: { $in: string[] } }) => {
          updates.push(filter);
          return { matchedCount: filter._id.$in.length - lost };
        },
      },
    };
    const deps = { leaseMs: 600, c, replica: { id: 'r1', address: () => 'a' } } as unknown as TenantActorDeps;
    const r = new TenantRegistry<Holder>(deps, (id) => new Holder(id));
    registries.push(r as unknown as TenantRegistry<FakeActor>);
    r.get('real-a');
    r.get('real-b');
    await until(() => renewed.length >= 2);
    expect(updates[0]).toEqual({ _id: { $in: ['real-a', 'real-b'] }, 'lease.owner': 'r1' });
    expect(new Set(renewed)).toEqual(new Set(['real-a', 'real-b']));
    expect(single).toEqual([]);
    lost = 1;
    await until(() => single.length >= 2);
    expect(new Set(single)).toEqual(new Set(['real-a', 'real-b']));
  });
});
