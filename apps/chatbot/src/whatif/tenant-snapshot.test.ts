import { describe, expect, it } from 'vitest';
import {
  Currency,
  DrawSource,
  EntitlementKind,
  GetCapacityResponse,
  GetTenantResponse,
  GetUsageReportResponse,
  LicensingModel,
  ListEntitlementsResponse,
  ListEnvironmentBalancesResponse,
  ListEnvironmentsResponse,
  type Environment,
} from '@allot/contracts';
import { fakeAnswerContext } from '../conversation/answer-context.fake';
import { whatIfMove } from '../conversation/what-if.answer';
import { loadTenantSnapshot } from './tenant-snapshot';

const entitlement = (entitlementId: string, kind: EntitlementKind, monthlyCredits: number) => ({ entitlementId, kind, quantity: 1, firstPeriod: '2026-11', monthlyCredits });
const copilotDraw = (source: DrawSource, amount: string) => ({ source, credits: 0, currency: Currency.CURRENCY_COPILOT, amount });

/**
 * Fabrikam (DUAL) as the core sends it: 100,000 AI Builder credits, prod 30,000 (all used) and dev 20,000 (15,000
 * used); one Copilot pack of 25,000 and pay-as-you-go; prod has 10,000 Copilot Credits of its own (2,500.5 used), does
 * not draw from the tenant, and has pay-as-you-go with a budget of 500 (100.25 used); dev draws 1,000 from the pool.
 */
const environments: Partial<Environment>[] = [
  { environmentId: 'prod', displayName: 'Production', allocation: 30_000, copilotAllocation: 10_000, copilotDrawFromTenant: false, copilotPayg: true, copilotPaygBudget: 500 },
  { environmentId: 'dev', displayName: 'Dev', allocation: 20_000, copilotAllocation: 0, copilotDrawFromTenant: true, copilotPayg: false, copilotPaygBudget: 0 },
];
const fabrikamCore = (model: LicensingModel) =>
  fakeAnswerContext({
    admin: {
      getTenant: () => GetTenantResponse.fromPartial({ tenant: { tenantId: 'fabrikam', allowUnassigned: true, licensingModel: model } }),
      listEnvironments: () => ListEnvironmentsResponse.fromPartial({ environments }),
      getCapacity: () => GetCapacityResponse.fromPartial({ period: '2026-11', capacity: 100_000, copilot: { capacity: 25_000, allocated: 10_000, unassigned: 15_000, paygActive: true } }),
      listEntitlements: () =>
        ListEntitlementsResponse.fromPartial({
          entitlements: [
            entitlement('addon', EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, 100_000),
            entitlement('pack', EntitlementKind.ENTITLEMENT_KIND_COPILOT_PACK, 25_000),
            entitlement('payg', EntitlementKind.ENTITLEMENT_KIND_COPILOT_PAYG, 0),
          ],
        }),
    },
    reporting: {
      getUsageReport: () => GetUsageReportResponse.fromPartial({ rows: [{ key: 'prod', credits: 30_000 }, { key: 'dev', credits: 15_000 }] }),
      listEnvironmentBalances: (req: { period: string }) => {
        expect(req.period).toBe('2026-11');
        return ListEnvironmentBalancesResponse.fromPartial({
          period: '2026-11',
          environments: [
            {
              environmentId: 'prod',
              copilot: {
                consumed: '2600.75',
                consumedBySource: [
                  copilotDraw(DrawSource.DRAW_SOURCE_COPILOT_ALLOCATION, '2500.5'),
                  copilotDraw(DrawSource.DRAW_SOURCE_COPILOT_UNASSIGNED, '0'),
                  copilotDraw(DrawSource.DRAW_SOURCE_COPILOT_PAYG, '100.25'),
                  copilotDraw(DrawSource.DRAW_SOURCE_OVERAGE, '0'),
                ],
              },
            },
            { environmentId: 'dev', copilot: { consumed: '1000', consumedBySource: [copilotDraw(DrawSource.DRAW_SOURCE_COPILOT_UNASSIGNED, '1000')] } },
          ],
        });
      },
    },
  });

describe('tenant snapshot of a DUAL tenant', () => {
  it('keeps only the AI Builder sources: a Copilot pack is no capacity add-on', async () => {
    const s = await loadTenantSnapshot(fabrikamCore(LicensingModel.LICENSING_MODEL_DUAL).core, 'fabrikam');
    expect(s.licensingModel).toBe('DUAL');
    expect(s.entitlements.map((e) => [e.entitlementId, e.kind])).toEqual([['addon', 'CAPACITY_ADDON']]);
  });

  it('carries the Copilot side: packs and pay-as-you-go, each environment settings and draws in thousandths', async () => {
    const s = await loadTenantSnapshot(fabrikamCore(LicensingModel.LICENSING_MODEL_DUAL).core, 'fabrikam');
    expect(s.copilot).toEqual({ capacity: 25_000, paygActive: true });
    expect(s.environments.map((e) => [e.environmentId, e.copilot])).toEqual([
      ['prod', { allocation: 10_000, drawFromTenant: false, payg: true, paygBudget: 500, usage: { allocation: 2_500_500, unassigned: 0, payg: 100_250, overage: 0 } }],
      ['dev', { allocation: 0, drawFromTenant: true, payg: false, paygBudget: 0, usage: { allocation: 0, unassigned: 1_000_000, payg: 0, overage: 0 } }],
    ]);
  });

  it('"what if I move 5,000 from prod to dev": prod stays Normal on its Copilot Credits, not Overage', async () => {
    const prod = { environmentId: 'prod', displayName: 'Production' };
    const dev = { environmentId: 'dev', displayName: 'Dev' };
    const r = await whatIfMove(fabrikamCore(LicensingModel.LICENSING_MODEL_DUAL), prod, dev, 5_000);
    expect(r.text).toContain('No environment would change stage.');
    expect(r.text).toContain('Production (prod): Normal (100% of 30,000 AI Builder credits; 7,899.25 of 10,500 Copilot Credits left) → Normal (120% of 25,000 AI Builder credits;');
    expect(r.sections[1]?.heading).toBe('Capacity (AI Builder credits)');
    expect(r.text).not.toContain('Overage');
  });
});

describe('tenant snapshot of a CLASSIC tenant', () => {
  it('asks the core nothing more than before (no balances call) and carries no Copilot side', async () => {
    // fakeAnswerContext fails on any call it was not given: listEnvironmentBalances is there, but must not be made.
    const calls: string[] = [];
    const ctx = fabrikamCore(LicensingModel.LICENSING_MODEL_CLASSIC);
    const core = new Proxy(ctx.core, { get: (target, service: 'admin' | 'reporting') => new Proxy(target[service], { get: (svc, method: string) => (calls.push(`${service}.${method}`), (svc as unknown as Record<string, unknown>)[method]) }) });
    const s = await loadTenantSnapshot(core, 'fabrikam');
    expect(calls).not.toContain('reporting.listEnvironmentBalances');
    expect(s.licensingModel).toBe('CLASSIC');
    expect(s.copilot).toBeUndefined();
    expect(s.environments.every((e) => e.copilot === undefined)).toBe(true);
  });

  it('the same move reads Overage for prod under CLASSIC (120% of 25,000), in the words of v1', async () => {
    const r = await whatIfMove(fabrikamCore(LicensingModel.LICENSING_MODEL_CLASSIC), { environmentId: 'prod', displayName: 'Production' }, { environmentId: 'dev', displayName: 'Dev' }, 5_000);
    expect(r.text).toContain('Would change stage: Production (prod) Warning → Overage.');
    expect(r.text).toContain('Production (prod): Warning (100% of 30,000) → Overage (120% of 25,000)');
    expect(r.sections[1]?.heading).toBe('Capacity');
  });
});
