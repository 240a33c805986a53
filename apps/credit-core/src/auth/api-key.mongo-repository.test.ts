import { describe, expect, it } from 'vitest';
import type { Collections } from '../storage/collections';
import { ApiKeyMongoRepository, MAX_CACHED_KEYS, hashSecret } from './api-key.mongo-repository';

/** A key store holding one valid key; counts its lookups. */
function store(valid: string): { c: Collections; lookups: () => number } {
  let lookups = 0;
  const apiKeys = {
    findOne: async ({ hash }: { hash: string }) => {
      lookups += 1;
      return hash === hashSecret(valid) ? { _id: 'k1', hash, role: 'READER', tenantId: 'acme', revokedAt: null } : null;
    },
  };
  return { c: { apiKeys } as unknown as Collections, lookups: () => lookups };
}

describe('ApiKeyMongoRepository cache', () => {
  it('stays bounded however many random keys are tried, and still knows the valid one', async () => {
    const s = store('the-valid-key');
    const repo = new ApiKeyMongoRepository(s.c, 'bootstrap-key-0123456789');
    expect(await repo.resolve('the-valid-key')).toMatchObject({ keyId: 'k1', role: 'READER' });
    for (let i = 0; i < MAX_CACHED_KEYS + 500; i++) expect(await repo.resolve(`random-${i}`)).toBeNull();
    expect(repo.cachedKeys).toBe(MAX_CACHED_KEYS);
    expect(await repo.resolve('the-valid-key')).toMatchObject({ keyId: 'k1' });
  });

  it('answers a repeated key from the cache', async () => {
    const s = store('k');
    const repo = new ApiKeyMongoRepository(s.c, 'bootstrap-key-0123456789');
    await repo.resolve('k');
    await repo.resolve('k');
    expect(s.lookups()).toBe(1);
  });
});
