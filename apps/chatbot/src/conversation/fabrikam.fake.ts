/**
 * For unit tests of the Copilot Credit actions: Fabrikam as the core sends it, with the few writes the actions make
 * (SetAllocation, UpdateEnvironmentSettings) applied to its state and logged with their audit headers, so a test
 * reads the preview, says yes, and checks what reached the core and what the reply says afterwards.
 *
 * November 2026. AI Builder: one add-on (100,000); Production (prod) 30,000 (12,000 used), Dev (dev) 20,000 (5,000
 * used). Copilot: two packs (50,000); prod 10,000 of its own (2,500.5 used), dev 5,000 (none used); both draw from the
 * tenant's Copilot pool (35,000 unassigned) and neither has pay-as-you-go.
 */
import {
  Currency,
  DrawSource,
  EntitlementKind,
  LicensingModel,
  type Environment,
  type GetCapacityResponse,
  type SetAllocationRequest,
  type UpdateEnvironmentSettingsRequest,
} from '@allot/contracts';
import { fakeAnswerContext } from './answer-context.fake';
import { understand } from '../understanding/understand';
import { route } from './router';
import type { Reply } from './conversation.types';
import type { AnswerContext } from './answer.context';

export interface Write {
  readonly method: 'setAllocation' | 'updateEnvironmentSettings';
  readonly request: SetAllocationRequest | UpdateEnvironmentSettingsRequest;
  readonly headers: Readonly<Record<string, string>> | undefined;
}

export interface FabrikamOptions {
  readonly model?: LicensingModel;
  /** A COPILOT_PAYG entitlement is active (default true). */
  readonly paygActive?: boolean;
  /** SetAllocation of this environment fails, as the core refusing it. */
  readonly refuseSetAllocationOf?: string;
}

export const ENVIRONMENT_NAMES = ['prod', 'Production', 'dev', 'Dev'];

export function fabrikam(options: FabrikamOptions = {}): { a: AnswerContext; writes: Write[]; calls: string[]; environments: Environment[] } {
  const model = options.model ?? LicensingModel.LICENSING_MODEL_DUAL;
  const dual = model === LicensingModel.LICENSING_MODEL_DUAL;
  const env = (environmentId: string, displayName: string, allocation: number, copilotAllocation: number): Environment => ({
    tenantId: 'fabrikam',
    environmentId,
    displayName,
    tenantPoolFallback: false,
    allocation,
    copilotAllocation,
    copilotDrawFromTenant: true,
    copilotPayg: false,
    copilotPaygBudget: 0,
  });
  const environments = [env('prod', 'Production', 30_000, 10_000), env('dev', 'Dev', 20_000, 5_000)];
  const writes: Write[] = [];
  const calls: string[] = [];
  const wire = (e: Environment): Environment =>
    dual ? { ...e } : { tenantId: e.tenantId, environmentId: e.environmentId, displayName: e.displayName, tenantPoolFallback: e.tenantPoolFallback, allocation: e.allocation };
  const sum = (f: (e: Environment) => number): number => environments.reduce((n, e) => n + f(e), 0);
  const capacity = (): GetCapacityResponse => {
    const allocated = sum((e) => e.allocation);
    const copilotAllocated = sum((e) => e.copilotAllocation ?? 0);
    return {
      period: '2026-11',
      capacity: 100_000,
      allocated,
      unassigned: 100_000 - allocated,
      overAllocated: false,
      overAllocatedBy: 0,
      allocations: environments.map((e) => ({ environmentId: e.environmentId, displayName: e.displayName, credits: e.allocation, ...(dual ? { copilotCredits: e.copilotAllocation } : {}) })),
      copilot: dual
        ? { capacity: 50_000, allocated: copilotAllocated, unassigned: 50_000 - copilotAllocated, overAllocated: false, overAllocatedBy: 0, paygActive: options.paygActive ?? true }
        : undefined,
      licensingModel: model,
    };
  };
  const find = (id: string): Environment => {
    const e = environments.find((x) => x.environmentId === id);
    if (e === undefined) throw new Error(`no environment ${id}`);
    return e;
  };
  const log = (name: string) => calls.push(name);
  const a = fakeAnswerContext({
    admin: {
      getTenant: () => (log('getTenant'), { tenant: { tenantId: 'fabrikam', displayName: 'Fabrikam', timeZone: 'UTC', allowUnassigned: true, licensingModel: model } }),
      listEnvironments: () => (log('listEnvironments'), { environments: environments.map(wire) }),
      getCapacity: () => (log('getCapacity'), capacity()),
      listEntitlements: () => (
        log('listEntitlements'),
        {
          entitlements: [
            { entitlementId: 'addon', kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, sku: '', quantity: 1, monthlyCredits: 100_000, firstPeriod: '2026-01', lastPeriod: '' },
            { entitlementId: 'packs', kind: EntitlementKind.ENTITLEMENT_KIND_COPILOT_PACK, sku: '', quantity: 2, monthlyCredits: 50_000, firstPeriod: '2026-11', lastPeriod: '' },
          ],
        }
      ),
      setAllocation: (req: SetAllocationRequest, o: { headers?: Record<string, string> } | undefined) => {
        log('setAllocation');
        writes.push({ method: 'setAllocation', request: req, headers: o?.headers });
        if (req.environmentId === options.refuseSetAllocationOf) throw Object.assign(new Error('refused'), { details: `environment ${req.environmentId} is locked` });
        const e = find(req.environmentId);
        if (req.currency === Currency.CURRENCY_COPILOT) e.copilotAllocation = req.credits;
        else e.allocation = req.credits;
        return { summary: undefined, environment: wire(e) };
      },
      updateEnvironmentSettings: (req: UpdateEnvironmentSettingsRequest, o: { headers?: Record<string, string> } | undefined) => {
        log('updateEnvironmentSettings');
        writes.push({ method: 'updateEnvironmentSettings', request: req, headers: o?.headers });
        const e = find(req.environmentId);
        if (req.copilotPayg !== undefined) e.copilotPayg = req.copilotPayg;
        if (req.copilotPaygBudget !== undefined) e.copilotPaygBudget = req.copilotPaygBudget;
        if (req.copilotDrawFromTenant !== undefined) e.copilotDrawFromTenant = req.copilotDrawFromTenant;
        return { environment: wire(e) };
      },
    },
    reporting: {
      getUsageReport: () => (log('getUsageReport'), { rows: [{ key: 'prod', credits: 12_000 }, { key: 'dev', credits: 5_000 }] }),
      listEnvironmentBalances: () => (
        log('listEnvironmentBalances'),
        {
          period: '2026-11',
          environments: [
            {
              environmentId: 'prod',
              copilot: { consumed: '2500.5', consumedBySource: [{ source: DrawSource.DRAW_SOURCE_COPILOT_ALLOCATION, credits: 0, currency: Currency.CURRENCY_COPILOT, amount: '2500.5' }] },
            },
            { environmentId: 'dev', copilot: { consumed: '0', consumedBySource: [] } },
          ],
        }
      ),
    },
  });
  return { a: { ...a, tenant: { tenantId: 'fabrikam', name: 'Fabrikam', timeZone: 'UTC' } }, writes, calls, environments };
}

export type Fabrikam = ReturnType<typeof fabrikam>;

/** A message to the bot, understood and answered as the conversation service would. */
export const say = (f: Fabrikam, text: string): Promise<Reply> => route(f.a, understand(text, '2026-11', ENVIRONMENT_NAMES), text);

/** The yes to a preview: runs the action it previewed. */
export async function yes(f: Fabrikam, preview: Reply): Promise<Reply> {
  const action = f.a.pending.take(preview.confirm?.actionId ?? 'none');
  if (action === undefined) throw new Error(`no confirmation in "${preview.text}"`);
  return action.run();
}

/** The audit headers the fake's conversation sends with every write. */
export const AUDIT = { 'x-allot-actor': 'slack:U1', 'x-allot-channel': 'slack:C1' };
