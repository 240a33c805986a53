import { describe, expect, it } from 'vitest';
import { editDistance, matchEnvironment, nameScore } from './environment.matcher';

const envs = [
  { environmentId: 'sales-prod', displayName: 'Sales Production' },
  { environmentId: 'dev', displayName: 'Dev Sandbox' },
  { environmentId: 'hr_test', displayName: 'HR Test' },
  { environmentId: 'marketing-eu', displayName: 'Marketing Europe' },
];

const matched = (q: string): string | undefined => {
  const m = matchEnvironment(q, envs);
  return m.kind === 'match' ? m.environment.environmentId : undefined;
};

describe('matchEnvironment', () => {
  it.each([
    ['sales prod', 'sales-prod'],
    ['Sales-Prod', 'sales-prod'],
    ['SALES_PROD', 'sales-prod'],
    ['salesprod', 'sales-prod'],
    ['slaes prod', 'sales-prod'],
    ['sales production', 'sales-prod'],
    ['prod', 'sales-prod'],
    ['production', 'sales-prod'],
    ['dev', 'dev'],
    ['dev sandbox', 'dev'],
    ['hr test', 'hr_test'],
    ['hr-test', 'hr_test'],
    ['marketing', 'marketing-eu'],
    ['marketing europe', 'marketing-eu'],
  ])('%j finds %s', (q, id) => {
    expect(matched(q)).toBe(id);
  });

  it('does not guess an unknown name and suggests the three closest', () => {
    const m = matchEnvironment('finance', envs);
    expect(m.kind).toBe('no-match');
    if (m.kind === 'no-match') expect(m.suggestions).toHaveLength(3);
  });

  it('ranks the nearest names first in suggestions', () => {
    const m = matchEnvironment('sales test', envs);
    expect(m.kind).toBe('no-match');
    if (m.kind === 'no-match') expect(m.suggestions.slice(0, 2).map((e) => e.environmentId).sort()).toEqual(['hr_test', 'sales-prod']);
  });

  it('refuses to pick between two equally good names', () => {
    const two = [
      { environmentId: 'sales-prod', displayName: '' },
      { environmentId: 'hr-prod', displayName: '' },
    ];
    const m = matchEnvironment('prod', two);
    expect(m.kind).toBe('no-match');
    if (m.kind === 'no-match') expect(m.suggestions.map((e) => e.environmentId).sort()).toEqual(['hr-prod', 'sales-prod']);
  });

  it('prefers the exact name when one environment is called just that', () => {
    const m = matchEnvironment('prod', [
      { environmentId: 'sales-prod', displayName: '' },
      { environmentId: 'prod', displayName: 'Production' },
    ]);
    expect(m).toMatchObject({ kind: 'match', environment: { environmentId: 'prod' } });
  });

  it('has nothing to suggest for a tenant without environments', () => {
    expect(matchEnvironment('dev', [])).toEqual({ kind: 'no-match', suggestions: [] });
  });
});

describe('editDistance and nameScore', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('slaes', 'sales')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('scores equal names 1 whatever their separators, and unrelated ones near 0', () => {
    expect(nameScore('Sales Prod', 'sales-prod')).toBe(1);
    expect(nameScore('zzz', 'sales-prod')).toBeLessThan(0.2);
  });
});
