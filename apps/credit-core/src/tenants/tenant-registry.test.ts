import { afterEach, describe, expect, it } from 'vitest';
import { SWEEP_AT_ACTORS, TenantRegistry, type RegistryActor } from './tenant-registry';
import type { TenantActorDeps } from './tenant-types';

class FakeActor implements RegistryActor {
  forgettable: boolean;
  constructor(readonly tenantId: string) {
    // Tenants named "real-…" load and stay; anything else is an unknown id whose load failed.
    this.forgettable = !tenantId.startsWith('real-');
  }
  async renewLease(): Promise<void> {}
  async drain(): Promise<void> {}
}

const registries: Array<TenantRegistry<FakeActor>> = [];
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
});
