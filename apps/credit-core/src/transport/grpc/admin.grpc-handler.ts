import type { AdminServiceServer } from '@allot/contracts';
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
import { createApiKey, revokeApiKey } from '../../auth/api-key.use-cases';
import { unary } from './grpc-call';

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
    updateTenantSettings: unary(s, 'UpdateTenantSettings', async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return { tenant: await updateTenantSettings(s, req) };
    }),
    createEnvironment: unary(s, 'CreateEnvironment', async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return { environment: await createEnvironment(s, req) };
    }),
    updateEnvironmentSettings: unary(s, 'UpdateEnvironmentSettings', async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return { environment: await updateEnvironmentSettings(s, req) };
    }),
    listEnvironments: unary(s, 'ListEnvironments', async (caller, req) => {
      authorize(caller, 'read', req.tenantId);
      return { environments: await listEnvironments(s, req.tenantId) };
    }),
    addEntitlement: unary(s, 'AddEntitlement', async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return addEntitlement(s, req);
    }),
    endEntitlement: unary(s, 'EndEntitlement', async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return endEntitlement(s, req);
    }),
    listEntitlements: unary(s, 'ListEntitlements', async (caller, req) => {
      authorize(caller, 'read', req.tenantId);
      return { entitlements: await listEntitlements(s, req.tenantId) };
    }),
    setAllocation: unary(s, 'SetAllocation', async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return setAllocation(s, req);
    }),
    getCapacity: unary(s, 'GetCapacity', async (caller, req) => {
      authorize(caller, 'read', req.tenantId);
      return getCapacity(s, req.tenantId, req.period);
    }),
    startTrial: unary(s, 'StartTrial', async (caller, req) => {
      authorize(caller, 'admin', req.tenantId);
      return { trial: await startUserTrial(s, req.tenantId, req.userId) };
    }),
    extendTrial: unary(s, 'ExtendTrial', async (caller, req) => {
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
  };
}
