import { AsyncLocalStorage } from 'node:async_hooks';
import { Client, credentials, status, type Metadata, type MethodDefinition, type ServiceError } from '@grpc/grpc-js';

/** Set on an error by the status mapping when a tenant is owned by another replica: its address. */
export const OWNER_METADATA = 'x-allot-owner';
/** Set on a forwarded call: the replica receiving it never forwards it again (no loops while leases move). */
export const FORWARDED_METADATA = 'x-allot-forwarded';

interface CallScope {
  readonly metadata: Metadata;
  readonly deadline: Date | number;
}

/** The incoming call a use case runs for (its metadata and deadline), so a part of it can be forwarded. */
const callScope = new AsyncLocalStorage<CallScope>();

export const runInCallScope = <T>(scope: CallScope, fn: () => T): T => callScope.run(scope, fn);

export const isForwarded = (metadata: Metadata): boolean => metadata.get(FORWARDED_METADATA).length > 0;

/**
 * Calls other replicas for tenants they own: the same method, request and metadata (the caller's API key), marked
 * as forwarded, with the caller's deadline. One channel per replica address, kept open.
 */
export class OwnerForwarder {
  private readonly clients = new Map<string, Client>();

  private client(address: string): Client {
    let c = this.clients.get(address);
    if (c === undefined) {
      c = new Client(address, credentials.createInsecure());
      this.clients.set(address, c);
    }
    return c;
  }

  /** Forwards a unary call; resolves with the owner's answer, rejects with the owner's error (or UNAVAILABLE). */
  unary<Req, Res>(address: string, def: MethodDefinition<Req, Res>, request: Req, incoming: Metadata, deadline: Date | number): Promise<Res> {
    const metadata = incoming.clone();
    metadata.set(FORWARDED_METADATA, '1');
    return new Promise<Res>((resolve, reject) => {
      this.client(address).makeUnaryRequest(
        def.path,
        def.requestSerialize,
        def.responseDeserialize,
        request,
        metadata,
        { deadline },
        (error: ServiceError | null, value?: Res) => {
          if (error !== null) {
            // The owner is gone (crashed, stopping): the caller retries; a replica takes the lease over.
            const code = error.code === status.UNIMPLEMENTED || error.code === status.UNKNOWN ? status.UNAVAILABLE : error.code;
            reject(Object.assign(error, { code }));
          } else resolve(value as Res);
        },
      );
    });
  }

  /** Forwards a unary call made inside the current call's scope (a part of a multi-tenant batch). */
  inScope<Req, Res>(address: string, def: MethodDefinition<Req, Res>, request: Req): Promise<Res> {
    const scope = callScope.getStore();
    if (scope === undefined) return Promise.reject(new Error('no incoming call to forward for'));
    return this.unary(address, def, request, scope.metadata, scope.deadline);
  }

  /** True when the call being served was forwarded to this replica already. */
  currentIsForwarded(): boolean {
    const scope = callScope.getStore();
    return scope !== undefined && isForwarded(scope.metadata);
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
