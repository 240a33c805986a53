import {
  DEFAULT_LICENSE_CATALOG,
  aiBuilderCapacityOf,
  copilotCapacityOf,
  copilotPaygActive,
  copilotSetupOf,
  type CopilotSetup,
  type LicensingModel,
  type SourceLimit,
  type TenantPeriodState,
} from '@allot/domain';
import type { TenantDoc } from '../storage/collections';
import type { TenantConfig } from './tenant-types';

/** The tenant's rules (docs/licensing.md); tenants stored before v2 are CLASSIC. */
export const licensingModelOf = (t: TenantDoc): LicensingModel => t.licensingModel ?? 'CLASSIC';

/** AI Builder Capacity(P) under the tenant's model (DUAL: seeded license credits end after 2026-10). */
export const aiBuilderCapacityFor = (config: TenantConfig, period: string): number =>
  aiBuilderCapacityOf(licensingModelOf(config.tenant), config.entitlements, period, DEFAULT_LICENSE_CATALOG);

/** DUAL's Copilot sources of a period, from the entitlements and the environments' settings. */
export function copilotSetupFor(config: TenantConfig, period: string): CopilotSetup {
  const model = licensingModelOf(config.tenant);
  return copilotSetupOf(
    copilotCapacityOf(model, config.entitlements, period),
    copilotPaygActive(model, config.entitlements, period),
    [...config.envs.values()].map((e) => ({
      environmentId: e.environmentId,
      allocation: e.copilotAllocation ?? 0,
      drawFromTenant: e.copilotDrawFromTenant !== false,
      payg: e.copilotPayg === true,
      paygBudget: e.copilotPaygBudget ?? 0,
    })),
  );
}

/** environment id -> source -> cap, from the environments' documents. */
export function sourceLimitsFor(config: TenantConfig): Map<string, Map<string, SourceLimit>> {
  const limits = new Map<string, Map<string, SourceLimit>>();
  for (const e of config.envs.values()) {
    if (e.sourceLimits === undefined || e.sourceLimits.length === 0) continue;
    limits.set(e.environmentId, new Map(e.sourceLimits.map((l) => [l.source, { currency: l.currency, credits: l.credits }])));
  }
  return limits;
}

/** The licensing part of a period state's init. */
export const licensingInitFor = (config: TenantConfig, period: string) => ({
  licensingModel: licensingModelOf(config.tenant),
  copilot: copilotSetupFor(config, period),
  sourceLimits: sourceLimitsFor(config),
});

/** Applies the configuration's licensing (model, AI Builder capacity, Copilot sources, source caps) to a loaded period. */
export function applyLicensing(state: TenantPeriodState, config: TenantConfig): void {
  state.setLicensingModel(licensingModelOf(config.tenant));
  state.setCapacity(aiBuilderCapacityFor(config, state.period));
  state.setCopilot(copilotSetupFor(config, state.period));
  const limits = sourceLimitsFor(config);
  for (const [env, bySource] of state.sourceLimits()) for (const source of [...bySource.keys()]) if (limits.get(env)?.get(source) === undefined) state.setSourceLimit(env, source, null);
  for (const [env, bySource] of limits) for (const [source, limit] of bySource) state.setSourceLimit(env, source, limit);
}
