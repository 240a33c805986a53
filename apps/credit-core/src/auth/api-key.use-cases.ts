import { domainError } from '@allot/domain';
import type { CreateApiKeyRequest, CreateApiKeyResponse } from '@allot/contracts';
import type { CoreServices } from '../core-services';
import type { Caller } from './caller';
import { authorize } from './caller';
import { CoreError } from '../shared/core-error';
import { requireId, requireText } from '../shared/validate';
import { roleFromWire } from '../shared/wire';

/** Creates a key (role + tenant scope); the secret is returned once and only its SHA-256 is stored. */
export async function createApiKey(s: CoreServices, req: CreateApiKeyRequest): Promise<CreateApiKeyResponse> {
  const tenantId = req.tenantId === '' ? null : requireId(req.tenantId, 'tenant_id');
  const role = roleFromWire(req.role);
  const description = requireText(req.description, 'description');
  if (tenantId !== null && (await s.c.tenants.findOne({ _id: tenantId })) === null) {
    throw new CoreError(domainError('NOT_FOUND', 'TENANT.NOT_FOUND', `tenant ${tenantId} does not exist`, 'tenant_id'));
  }
  const created = await s.apiKeys.create(tenantId, role, description);
  s.logger.info('api key created', { keyId: created.keyId, tenant: tenantId ?? '*', role });
  return created;
}

/** Revokes a key; a tenant-scoped admin may revoke only keys of its tenant. */
export async function revokeApiKey(s: CoreServices, caller: Caller, keyIdRaw: string): Promise<void> {
  const keyId = requireId(keyIdRaw, 'key_id');
  const key = await s.apiKeys.find(keyId);
  if (key === null) throw new CoreError(domainError('NOT_FOUND', 'API_KEY.NOT_FOUND', `api key ${keyId} does not exist`, 'key_id'));
  if (key.tenantId === null && caller.tenantId !== null) {
    throw new CoreError(domainError('PERMISSION_DENIED', 'AUTH.DENIED', 'only a key for all tenants may revoke another such key'));
  }
  if (key.tenantId !== null) authorize(caller, 'admin', key.tenantId);
  await s.apiKeys.revoke(keyId);
  s.logger.info('api key revoked', { keyId });
}
