import { describe, expect, it } from 'vitest';
import { decideConsoleTenant, pickTenant } from './console-tenant';

const t = (tenantId: string, name = tenantId.toUpperCase()) => ({ tenantId, name });

describe('decideConsoleTenant', () => {
  it('says there is none when the core has no tenant', () => {
    expect(decideConsoleTenant([])).toEqual({ kind: 'none' });
  });
  it('takes the only tenant, whatever its id', () => {
    expect(decideConsoleTenant([t('acme')])).toMatchObject({ kind: 'chosen', tenant: t('acme') });
  });
  it('takes the demo tenant among several, even when another sorts first', () => {
    const d = decideConsoleTenant([t('zeta'), t('contoso'), t('acme')]);
    expect(d).toMatchObject({ kind: 'chosen', tenant: t('contoso') });
    expect(d.kind === 'chosen' && d.why).toContain('2 other tenant(s)');
  });
  it('asks among several when there is no demo tenant, listed in id order', () => {
    expect(decideConsoleTenant([t('zeta'), t('acme')])).toEqual({ kind: 'ask', tenants: [t('acme'), t('zeta')] });
  });
});

describe('pickTenant', () => {
  const list = [t('acme', 'Acme'), t('zeta', 'Zeta Corp')];
  it('accepts a list number, an id or a display name', () => {
    expect(pickTenant('2', list)).toEqual(list[1]);
    expect(pickTenant(' acme ', list)).toEqual(list[0]);
    expect(pickTenant('zeta corp', list)).toEqual(list[1]);
  });
  it('rejects what matches nothing', () => {
    expect(pickTenant('3', list)).toBeUndefined();
    expect(pickTenant('0', list)).toBeUndefined();
    expect(pickTenant('other', list)).toBeUndefined();
  });
});
