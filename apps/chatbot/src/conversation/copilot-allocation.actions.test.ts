import { describe, expect, it } from 'vitest';
import { Currency, LicensingModel } from '@allot/contracts';
import { AUDIT, fabrikam, say, yes } from './fabrikam.fake';


describe('Copilot allocations from the chat (Fabrikam, DUAL: two packs, prod 10,000, dev 5,000, 35,000 unassigned)', () => {
  it('"allocate 20,000 Copilot Credits to prod" previews before → after and the Copilot pool, then SetAllocation(CURRENCY_COPILOT)', async () => {
    const f = fabrikam();
    const preview = await say(f, 'allocate 20,000 Copilot Credits to prod');
    expect(preview.text).toBe(
      [
        "I will set Production (prod)'s Copilot allocation to 20,000 Copilot Credits (now 10,000).",
        'Production (prod): 10,000 → 20,000 Copilot Credits',
        'Unassigned in the Copilot pool: 35,000 → 25,000 Copilot Credits',
        'No environment would change stage.',
        'Do it? Answer yes or no.',
      ].join('\n'),
    );
    expect(preview.confirm).toBeDefined();
    // prod draws from the pool too, so it can still draw 45,000; dev, which only has the pool beside its 5,000, has less.
    const stages = preview.sections.find((s) => s.heading === 'Stages before → after')?.facts ?? [];
    expect(stages).toContainEqual({ label: 'Production (prod)', value: 'Normal (40% of 30,000 AI Builder credits; 42,499.5 of 45,000 Copilot Credits left), unchanged' });
    expect(stages).toContainEqual({
      label: 'Dev (dev)',
      value: 'Normal (25% of 20,000 AI Builder credits; 40,000 of 40,000 Copilot Credits left) → Normal (25% of 20,000 AI Builder credits; 30,000 of 30,000 Copilot Credits left)',
    });
    expect(preview.sections.find((s) => s.heading === 'Capacity (Copilot Credits)')?.facts).toEqual([
      { label: 'Capacity', value: '50,000' },
      { label: 'Allocated', value: '15,000 → 25,000' },
      { label: 'Unassigned', value: '35,000 → 25,000' },
    ]);
    expect(f.writes).toEqual([]);

    const done = await yes(f, preview);
    expect(f.writes).toEqual([{ method: 'setAllocation', request: { tenantId: 'fabrikam', environmentId: 'prod', credits: 20_000, currency: Currency.CURRENCY_COPILOT }, headers: AUDIT }]);
    expect(done.text).toBe(
      "Done: set Production (prod)'s Copilot allocation to 20,000 Copilot Credits (now 10,000). Production (prod): 10,000 → 20,000 Copilot Credits. " +
        'Unassigned in the Copilot pool now 25,000 Copilot Credits. Recorded in the audit as slack:U1.',
    );
  });

  it('"move 5,000 Copilot Credits from dev to prod" lowers dev first, then raises prod, both in Copilot Credits', async () => {
    const f = fabrikam();
    const preview = await say(f, 'move 5,000 Copilot Credits from dev to prod');
    expect(preview.text).toContain('I will move 5,000 Copilot Credits of allocation from Dev (dev) to Production (prod).');
    expect(preview.text).toContain('Dev (dev): 5,000 → 0 Copilot Credits\nProduction (prod): 10,000 → 15,000 Copilot Credits\nUnassigned in the Copilot pool: 35,000 Copilot Credits, unchanged');
    const done = await yes(f, preview);
    expect(f.writes.map((w) => w.request)).toEqual([
      { tenantId: 'fabrikam', environmentId: 'dev', credits: 0, currency: Currency.CURRENCY_COPILOT },
      { tenantId: 'fabrikam', environmentId: 'prod', credits: 15_000, currency: Currency.CURRENCY_COPILOT },
    ]);
    expect(done.title).toBe('Done');
    expect(f.environments.map((e) => [e.environmentId, e.allocation, e.copilotAllocation])).toEqual([
      ['prod', 30_000, 15_000],
      ['dev', 20_000, 0],
    ]);
  });

  it('a move whose second step the core refuses puts the first one back', async () => {
    const f = fabrikam({ refuseSetAllocationOf: 'prod' });
    const done = await yes(f, await say(f, 'move 5,000 Copilot Credits from dev to prod'));
    expect(done.text).toContain('the credit service refused: environment prod is locked. Nothing was changed.');
    expect(f.writes.map((w) => [w.request.environmentId, (w.request as { credits: number }).credits])).toEqual([
      ['dev', 0],
      ['prod', 15_000],
      ['dev', 5_000],
    ]);
    expect(f.environments.find((e) => e.environmentId === 'dev')?.copilotAllocation).toBe(5_000);
  });

  it('refuses more than the Copilot pool holds, with the numbers, as the core would', async () => {
    const f = fabrikam();
    const r = await say(f, 'allocate 60,000 Copilot Credits to prod');
    expect(r.text).toBe(
      "I can't set Production (prod)'s Copilot allocation to 60,000 Copilot Credits (now 10,000): prod cannot go from 10,000 to 60,000 Copilot Credits: " +
        'only 35,000 unassigned in the Copilot pool (capacity 50,000, allocated 15,000); prod can have at most 45,000. Nothing was changed.',
    );
    expect(r.confirm).toBeUndefined();
    expect((await say(f, 'move 6k Copilot Credits from dev to prod')).text).toContain('Dev (dev) has only 5,000 Copilot Credits allocated');
  });

  it('a CLASSIC tenant is told that Copilot Credits are for DUAL tenants; nothing but the tenant is read, nothing written', async () => {
    for (const text of ['allocate 20,000 Copilot Credits to prod', 'move 5,000 Copilot Credits from dev to prod']) {
      const f = fabrikam({ model: LicensingModel.LICENSING_MODEL_CLASSIC });
      const r = await say(f, text);
      expect(r.title).toBe('Copilot Credits need the DUAL licensing model');
      expect(r.text).toContain('Copilot Credits apply only to tenants on the DUAL licensing model, and Fabrikam is on the CLASSIC model (AI Builder credits only)');
      expect(r.text).toContain('Nothing was changed.');
      expect(r.confirm).toBeUndefined();
      // Besides the environment names (resolved before any action), only the tenant's licensing model was read.
      expect(f.calls.filter((c) => c !== 'listEnvironments')).toEqual(['getTenant']);
      expect(f.writes).toEqual([]);
    }
  });

  it('plain "allocate 50,000 credits to prod" is the AI Builder allocation, as always (no currency on the wire)', async () => {
    const f = fabrikam();
    const preview = await say(f, 'allocate 50,000 credits to prod');
    expect(preview.text.split('\n').slice(0, 2)).toEqual(["I will set Production (prod)'s allocation to 50,000 credits (now 30,000).", 'Production (prod): 30,000 → 50,000 credits']);
    expect(preview.text).not.toContain('Copilot pool');
    const done = await yes(f, preview);
    expect(f.writes.map((w) => w.request)).toEqual([{ tenantId: 'fabrikam', environmentId: 'prod', credits: 50_000 }]);
    expect(done.text).toContain('Unassigned now 30,000 credits.');
  });

  it('is for admins only', async () => {
    const f = fabrikam();
    const r = await say({ ...f, a: { ...f.a, context: { ...f.a.context, isAdmin: false } } }, 'allocate 20,000 Copilot Credits to prod');
    expect(r.title).toBe('Only admins can do that');
    expect(f.writes).toEqual([]);
  });

  it("a maker's request for Copilot Credits is not filed as a request for AI Builder credits", async () => {
    const f = fabrikam();
    const r = await say(f, 'I need 5k more Copilot Credits for prod');
    expect(r.text).toContain('I can only ask the admins for more AI Builder credits for now, not Copilot Credits.');
    expect(f.writes).toEqual([]);
  });
});
