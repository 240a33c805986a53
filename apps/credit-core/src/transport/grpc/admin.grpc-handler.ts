import { Currency, EntitlementKind, Role, type AdminServiceServer } from '@allot/contracts';
import type { CoreServices } from '../../core-services';
import { authorize, authorizeBootstrap } from '../../auth/caller';
import { createTenant, getTenant, listTenants, updateTenantSettings } from '../../admin/tenant.use-cases';
import { createEnvironment, listEnvironments, updateEnvironmentSettings } from '../../admin/environment.use-cases';
import {
  addEntitlement,
  endEntitlement,
  getCapacity,
  listEntitlements,
  setAllocation,
} from '../../admin/capacity.use-cases';
import { extendUserTrial, startUserTrial } from '../../admin/trial.use-cases';
import { setSourceLimit } from '../../admin/source-limit.use-cases';
import { createApiKey, revokeApiKey } from '../../auth/api-key.use-cases';
import { unary } from './grpc-call';
import { audited } from './audited-call';
import { listAuditEntries } from '../../audit/audit.use-cases';

/** What an audit line calls an entitlement and an amount's currency (the request is not validated yet: raw values). */
const entitlementLabel = (kind: EntitlementKind, sku: string): string =>
  kind === EntitlementKind.ENTITLEMENT_KIND_COPILOT_PACK
    ? 'Copilot Credit pack'
    : kind === EntitlementKind.ENTITLEMENT_KIND_COPILOT_PAYG
      ? 'Copilot pay-as-you-go'
      : sku || 'capacity add-on';
const currencyLabel = (c: Currency | undefined): string => (c === Currency.CURRENCY_COPILOT ? 'Copilot Credits' : 'credits');

/** AdminService: reads open to every role, writes need ADMIN within the key's tenant. */
export function adminHandlers(s: CoreServices): AdminServiceServer {
  return {
    createTenant: unary(s, 'CreateTenant', async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return { tenant: await createTenant(s, req) };
    }),
    getTenant: unary(s, 'GetTenant', async (caller, req) => {
      authorize(caller, 'read', req.tenantId);
      return { tenant: await getTenant(s, req.tenantId) };
    }),
    listTenants: unary(s, 'ListTenants', async (caller) => {
      authorize(caller, 'read', '');
      return { tenants: await listTenants(s, caller.tenantId) };
    }),
    updateTenantSettings: audited(s, 'UpdateTenantSettings', (r) => ({ tenantId: r.tenantId, detail: 'tenant settings changed' }), async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return { tenant: await updateTenantSettings(s, req) };
    }),
    createEnvironment: audited(s, 'CreateEnvironment', (r) => ({ tenantId: r.tenantId, detail: `environment ${r.environmentId} created` }), async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return { environment: await createEnvironment(s, req) };
    }),
    updateEnvironmentSettings: audited(s, 'UpdateEnvironmentSettings', (r) => ({ tenantId: r.tenantId, detail: `environment ${r.environmentId} settings changed` }), async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return { environment: await updateEnvironmentSettings(s, req) };
    }),
    listEnvironments: unary(s, 'ListEnvironments', async (caller, req) => {
      authorize(caller, 'read', req.tenantId);
      return { environments: await listEnvironments(s, req.tenantId) };
    }),
    addEntitlement: audited(s, 'AddEntitlement', (r) => ({ tenantId: r.tenantId, detail: `entitlement added: ${entitlementLabel(r.kind, r.sku)} x ${r.quantity}` }), async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return addEntitlement(s, req);
    }),
    endEntitlement: audited(s, 'EndEntitlement', (r) => ({ tenantId: r.tenantId, detail: `entitlement ${r.entitlementId} ends after ${r.lastPeriod}` }), async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return endEntitlement(s, req);
    }),
    listEntitlements: unary(s, 'ListEntitlements', async (caller, req) => {
      authorize(caller, 'read', req.tenantId);
      return { entitlements: await listEntitlements(s, req.tenantId) };
    }),
    setAllocation: audited(s, 'SetAllocation', (r) => ({ tenantId: r.tenantId, detail: `${r.environmentId} allocation = ${r.credits} ${currencyLabel(r.currency)}` }), async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return setAllocation(s, req);
    }),
    getCapacity: unary(s, 'GetCapacity', async (caller, req) => {
      authorize(caller, 'read', req.tenantId);
      return getCapacity(s, req.tenantId, req.period);
    }),
    setSourceLimit: audited(s, 'SetSourceLimit', (r) => ({ tenantId: r.tenantId, detail: `${r.environmentId} source ${r.source} limit = ${r.credits} ${currencyLabel(r.currency)}` }), async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return { limits: await setSourceLimit(s, req) };
    }),
    startTrial: audited(s, 'StartTrial', (r) => ({ tenantId: r.tenantId, detail: `trial started for ${r.userId}` }), async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return { trial: await startUserTrial(s, req.tenantId, req.userId) };
    }),
    extendTrial: audited(s, 'ExtendTrial', (r) => ({ tenantId: r.tenantId, detail: `trial extended for ${r.userId}` }), async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return { trial: await extendUserTrial(s, req.tenantId, req.userId) };
    }),
    createApiKey: unary(s, 'CreateApiKey', async (caller, req) => {
      // A key for all tenants is minted only by the bootstrap key (docs/api.md, Authentication), not by keys it created.
      if (req.tenantId === '') authorizeBootstrap(caller, 'a key for all tenants');
      else authorize(caller, 'admin', req.tenantId);
      return createApiKey(s, req);
    }),
    revokeApiKey: unary(s, 'RevokeApiKey', async (caller, req) => {
      authorize(caller, 'admin', '');
      await revokeApiKey(s, caller, req.keyId);
      return {};
    }),
    listAuditEntries: unary(s, 'ListAuditEntries', async (caller, req) => {
      authorize(caller, 'read', req.tenantId);
      return { entries: await listAuditEntries(s, req.tenantId, req.limit) };
    }),
    getCaller: unary(s, 'GetCaller', async (caller) => ({ keyId: caller.keyId, role: Role[`ROLE_${caller.role}`], tenantId: caller.tenantId ?? '' })),
  };
}
