import { describe, expect, it } from 'vitest';
import { RecentKeys } from './recent-keys';

const key = (n: number) => ({ fingerprint: `f${n}`, environmentId: 'prod', userId: 'u', result: { eventId: `e${n}`, period: '2026-12', credits: n, draws: [], duplicate: false, stage: 'NORMAL' as const, charged: null } });

describe('RecentKeys', () => {
  it('keeps at most its capacity, dropping the least recently used first', () => {
    const keys = new RecentKeys(3);
    for (let i = 0; i < 3; i++) keys.set(`k${i}`, key(i));
    expect(keys.get('k0')?.fingerprint).toBe('f0');
    keys.set('k3', key(3));
    expect(keys.size).toBe(3);
    expect(keys.get('k1')).toBeUndefined();
    expect(keys.get('k0')?.result.credits).toBe(0);
    expect(keys.get('k3')?.result.credits).toBe(3);
  });

  it('stays bounded under any number of keys', () => {
    const keys = new RecentKeys(100);
    for (let i = 0; i < 10_000; i++) keys.set(`k${i}`, key(i));
    expect(keys.size).toBe(100);
    expect(keys.get('k9999')).toBeDefined();
    expect(keys.get('k0')).toBeUndefined();
  });
});
