import { describe, expect, it } from 'vitest';
import {
  EntitlementKind,
  GetCapacityResponse,
  GetTenantResponse,
  GetUsageReportResponse,
  LicensingModel,
  ListEntitlementsResponse,
  ListEnvironmentsResponse,
} from '@allot/contracts';
import { fakeAnswerContext } from '../conversation/answer-context.fake';
import { loadTenantSnapshot } from './tenant-snapshot';

describe('tenant snapshot of a DUAL tenant', () => {
  it('keeps only the AI Builder sources: a Copilot pack is no capacity add-on', async () => {
    const entitlement = (entitlementId: string, kind: EntitlementKind, monthlyCredits: number) => ({ entitlementId, kind, quantity: 1, firstPeriod: '2026-11', monthlyCredits });
    const { core } = fakeAnswerContext({
      admin: {
        getTenant: () => GetTenantResponse.fromPartial({ tenant: { tenantId: 'fabrikam', licensingModel: LicensingModel.LICENSING_MODEL_DUAL } }),
        listEnvironments: () => ListEnvironmentsResponse.fromPartial({ environments: [] }),
        getCapacity: () => GetCapacityResponse.fromPartial({ period: '2026-11', capacity: 1_000_000 }),
        listEntitlements: () =>
          ListEntitlementsResponse.fromPartial({
            entitlements: [
              entitlement('addon', EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, 1_000_000),
              entitlement('pack', EntitlementKind.ENTITLEMENT_KIND_COPILOT_PACK, 25_000),
              entitlement('payg', EntitlementKind.ENTITLEMENT_KIND_COPILOT_PAYG, 0),
            ],
          }),
      },
      reporting: { getUsageReport: () => GetUsageReportResponse.fromPartial({ rows: [] }) },
    });
    const s = await loadTenantSnapshot(core, 'fabrikam');
    expect(s.licensingModel).toBe('DUAL');
    expect(s.entitlements.map((e) => [e.entitlementId, e.kind])).toEqual([['addon', 'CAPACITY_ADDON']]);
  });
});
