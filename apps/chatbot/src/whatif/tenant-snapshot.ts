/**
 * Reads what a what-if needs from the core: settings, environments, capacity, entitlements and usage; for a DUAL
 * tenant also the Copilot side (packs and pay-as-you-go, each environment's Copilot settings and draws).
 */
import { EntitlementKind, LicensingModel, UsageGroupBy } from '@allot/contracts';
import type { CoreClient } from '@allot/grpc-client';
import { DEFAULT_STAGE_THRESHOLDS } from '@allot/domain';
import { environmentCopilotOf, loadCopilotUsage } from './copilot-snapshot';
import type { TenantSnapshot } from './what-if.model';

const AI_BUILDER_KINDS: ReadonlySet<EntitlementKind> = new Set([EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, EntitlementKind.ENTITLEMENT_KIND_LICENSE]);

export async function loadTenantSnapshot(core: CoreClient, tenantId: string): Promise<TenantSnapshot> {
  const [tenant, envs, capacity, entitlements, usage] = await Promise.all([
    core.admin.getTenant({ tenantId }),
    core.admin.listEnvironments({ tenantId }),
    core.admin.getCapacity({ tenantId, period: '' }),
    core.admin.listEntitlements({ tenantId }),
    core.reporting.getUsageReport({ tenantId, period: '', groupBy: UsageGroupBy.USAGE_GROUP_BY_ENVIRONMENT, environmentId: '', limit: 0 }),
  ]);
  const t = tenant.tenant;
  const th = t?.thresholds;
  const rows = new Map(usage.rows.map((r) => [r.key, r]));
  const dual = t?.licensingModel === LicensingModel.LICENSING_MODEL_DUAL;
  // Only a DUAL tenant has Copilot draws: a CLASSIC tenant's what-if asks the core exactly what it asked before.
  const copilotUsage = dual ? await loadCopilotUsage(core, tenantId, capacity.period) : undefined;
  return {
    period: capacity.period,
    capacity: capacity.capacity,
    allowUnassigned: t?.allowUnassigned ?? true,
    thresholds: th && th.warningPercent > 0 ? { warningPercent: th.warningPercent, overagePercent: th.overagePercent, blockedPercent: th.blockedPercent } : DEFAULT_STAGE_THRESHOLDS,
    environments: envs.environments.map((e) => {
      const r = rows.get(e.environmentId);
      return {
        environmentId: e.environmentId,
        displayName: e.displayName,
        allocation: e.allocation,
        poolFallback: e.tenantPoolFallback,
        consumed: r?.credits ?? 0,
        trialCredits: r?.trialCredits ?? 0,
        overageCredits: r?.overageCredits ?? 0,
        ...(copilotUsage !== undefined ? { copilot: environmentCopilotOf(e, copilotUsage.get(e.environmentId)) } : {}),
      };
    }),
    licensingModel: dual ? 'DUAL' : 'CLASSIC',
    ...(dual ? { copilot: { capacity: capacity.copilot?.capacity ?? 0, paygActive: capacity.copilot?.paygActive ?? false } } : {}),
    // What-ifs change AI Builder credits: Copilot packs and pay-as-you-go are the Copilot side above, never an add-on to end.
    entitlements: entitlements.entitlements.filter((e) => AI_BUILDER_KINDS.has(e.kind)).map((e) => ({
      entitlementId: e.entitlementId,
      kind: e.kind === EntitlementKind.ENTITLEMENT_KIND_LICENSE ? 'LICENSE' : 'CAPACITY_ADDON',
      sku: e.sku,
      quantity: e.quantity,
      firstPeriod: e.firstPeriod,
      lastPeriod: e.lastPeriod === '' ? null : e.lastPeriod,
      monthlyCredits: e.monthlyCredits,
    })),
  };
}
