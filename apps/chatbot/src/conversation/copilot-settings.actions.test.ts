import { describe, expect, it } from 'vitest';
import { LicensingModel } from '@allot/contracts';
import { AUDIT, fabrikam, say, yes } from './fabrikam.fake';


describe('Copilot settings from the chat (Fabrikam, DUAL; prod: 10,000 Copilot Credits of its own, draws from the 35,000 pool)', () => {
  it('"turn on pay-as-you-go for prod with a budget of 5,000": preview, then UpdateEnvironmentSettings with the audit headers', async () => {
    const f = fabrikam();
    const preview = await say(f, 'turn on pay-as-you-go for prod with a budget of 5,000');
    expect(preview.text).toBe(
      [
        'I will turn on pay-as-you-go for Production (prod) with a budget of 5,000 Copilot Credits a month.',
        'Pay-as-you-go: off → on',
        'Pay-as-you-go budget: 5,000 Copilot Credits a month',
        'No environment would change stage.',
        'Do it? Answer yes or no.',
      ].join('\n'),
    );
    // The budget adds to what prod may draw: 45,000 → 50,000.
    expect(preview.sections[1]?.facts?.[0]).toEqual({
      label: 'Production (prod)',
      value: 'Normal (40% of 30,000 AI Builder credits; 42,499.5 of 45,000 Copilot Credits left) → Normal (40% of 30,000 AI Builder credits; 47,499.5 of 50,000 Copilot Credits left)',
    });
    expect(f.writes).toEqual([]);
    const done = await yes(f, preview);
    expect(f.writes).toEqual([{ method: 'updateEnvironmentSettings', request: { tenantId: 'fabrikam', environmentId: 'prod', copilotPayg: true, copilotPaygBudget: 5_000 }, headers: AUDIT }]);
    expect(done.text).toBe(
      'Done: turn on pay-as-you-go for Production (prod) with a budget of 5,000 Copilot Credits a month. Production (prod) now: pay-as-you-go: on; ' +
        "pay-as-you-go budget: 5,000 Copilot Credits a month; draws from the tenant's Copilot pool: yes. Recorded in the audit as slack:U1.",
    );

    const off = await say(f, 'turn off pay-as-you-go for prod');
    expect(off.text.split('\n').slice(0, 2)).toEqual(['I will turn off pay-as-you-go for Production (prod).', 'Pay-as-you-go: on → off']);
    await yes(f, off);
    expect(f.writes[1]?.request).toEqual({ tenantId: 'fabrikam', environmentId: 'prod', copilotPayg: false });
  });

  it('says when the tenant has no pay-as-you-go billing, so the budget would draw nothing yet', async () => {
    const f = fabrikam({ paygActive: false });
    const preview = await say(f, 'enable payg for dev with no budget');
    expect(preview.text).toContain('I will turn on pay-as-you-go for Dev (dev) with no budget (no limit).');
    expect(preview.text).toContain('Note: Fabrikam has no pay-as-you-go billing (a Copilot pay-as-you-go entitlement) this month, so Dev (dev) draws nothing from pay-as-you-go until one is added.');
    await yes(f, preview);
    expect(f.writes[0]?.request).toEqual({ tenantId: 'fabrikam', environmentId: 'dev', copilotPayg: true, copilotPaygBudget: 0 });
  });

  it('"stop prod drawing Copilot Credits from the tenant" shows what prod can still draw, then turns the setting off', async () => {
    const f = fabrikam();
    const preview = await say(f, 'stop prod drawing Copilot Credits from the tenant');
    expect(preview.text.split('\n').slice(0, 2)).toEqual(["I will stop Production (prod) drawing Copilot Credits from the tenant's Copilot pool.", "Draws from the tenant's Copilot pool: yes → no"]);
    expect(preview.sections[1]?.facts?.[0]?.value).toContain('→ Normal (40% of 30,000 AI Builder credits; 7,499.5 of 10,000 Copilot Credits left)');
    await yes(f, preview);
    expect(f.writes[0]?.request).toEqual({ tenantId: 'fabrikam', environmentId: 'prod', copilotDrawFromTenant: false });
  });

  it('changes nothing that is already so, and asks when neither on, off nor a budget was said', async () => {
    const f = fabrikam();
    const r = await say(f, 'turn off pay-as-you-go for prod');
    expect(r.text).toBe("Production (prod) is already set that way (pay-as-you-go: off; draws from the tenant's Copilot pool: yes). Nothing was changed.");
    expect(r.confirm).toBeUndefined();
    expect((await say(f, 'pay-as-you-go for prod')).title).toBe('Missing whether to turn it on or off');
    expect(f.writes).toEqual([]);
  });

  it('a CLASSIC tenant is told that Copilot Credits are for DUAL tenants, and nothing is changed', async () => {
    const f = fabrikam({ model: LicensingModel.LICENSING_MODEL_CLASSIC });
    const r = await say(f, 'turn on pay-as-you-go for prod with a budget of 5,000');
    expect(r.text).toBe(
      'Copilot Credits apply only to tenants on the DUAL licensing model, and Fabrikam is on the CLASSIC model (AI Builder credits only), so I can\'t change pay-as-you-go for Production (prod). ' +
        'Nothing was changed. AI Builder credits work as always, e.g. "allocate 50,000 credits to <environment>".',
    );
    expect(f.writes).toEqual([]);
  });

  it('is for admins only', async () => {
    const f = fabrikam();
    const r = await say({ ...f, a: { ...f.a, context: { ...f.a.context, isAdmin: false } } }, 'stop prod drawing Copilot Credits from the tenant');
    expect(r.text).toContain('only admins can change Copilot Credit settings');
    expect(f.writes).toEqual([]);
  });
});
