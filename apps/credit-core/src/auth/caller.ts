import { CoreError } from '../shared/core-error';
import { domainError } from '@allot/domain';

export type KeyRole = 'ADMIN' | 'INGEST' | 'READER';

/** Who is calling: resolved from the `authorization: Bearer <key>` metadata. */
export interface Caller {
  readonly keyId: string;
  readonly role: KeyRole;
  /** null: all tenants (the bootstrap key, or a key created unscoped by it). */
  readonly tenantId: string | null;
  /**
   * The person a key (the chat bot's) acts for, from the `x-allot-actor` / `x-allot-channel` metadata; recorded in
   * the audit next to the key. It grants nothing: permissions are the key's.
   */
  readonly actingFor?: { readonly actor: string; readonly channel: string };
}

/** What an RPC needs: 'read' (any role), 'ingest' (ADMIN or INGEST), 'admin' (ADMIN). */
export type Permission = 'read' | 'ingest' | 'admin';

const ALLOWED: Readonly<Record<Permission, readonly KeyRole[]>> = {
  read: ['ADMIN', 'INGEST', 'READER'],
  ingest: ['ADMIN', 'INGEST'],
  admin: ['ADMIN'],
};

const denied = (message: string): CoreError => new CoreError(domainError('PERMISSION_DENIED', 'AUTH.DENIED', message));

/**
 * Checks role and tenant scope (docs/api.md, Authentication): a role doing more than it may, or a key scoped to another tenant,
 * is PERMISSION_DENIED. An empty tenantId is left to request validation (INVALID_ARGUMENT) for scoped keys.
 */
export function authorize(caller: Caller, permission: Permission, tenantId: string): void {
  if (!ALLOWED[permission].includes(caller.role)) {
    throw denied(`a ${caller.role} key may not do this (needs ${ALLOWED[permission].join(' or ')})`);
  }
  if (caller.tenantId !== null && tenantId !== '' && tenantId !== caller.tenantId) {
    throw denied(`this key is scoped to tenant ${caller.tenantId}, not ${tenantId}`);
  }
}

/** For calls over all tenants (empty tenant id means "every tenant"): only unscoped keys. */
export function authorizeUnscoped(caller: Caller, permission: Permission, what: string): void {
  authorize(caller, permission, '');
  if (caller.tenantId !== null) throw denied(`${what} needs a key for all tenants; this key is scoped to ${caller.tenantId}`);
}

/** Id of the bootstrap admin key (from the environment) as callers carry it. */
export const BOOTSTRAP_KEY_ID = 'bootstrap';

/** For what only the bootstrap admin key may do (docs/api.md, Authentication: CreateApiKey for all tenants). */
export function authorizeBootstrap(caller: Caller, what: string): void {
  authorizeUnscoped(caller, 'admin', what);
  if (caller.keyId !== BOOTSTRAP_KEY_ID) throw denied(`${what} needs the bootstrap admin key`);
}
