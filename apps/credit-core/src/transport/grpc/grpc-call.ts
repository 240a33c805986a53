import type { Metadata, ServerUnaryCall, handleUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import type { CoreServices } from '../../core-services';
import type { Caller } from '../../auth/caller';
import { CoreError, UnauthenticatedError } from '../../shared/core-error';
import { requestBoundsViolation } from './request-bounds';
import { RejectedRequest } from './wire-guard';
import { toServiceError } from './status-mapping';

/** Resolves `authorization: Bearer <key>`; no key or an unknown one: UNAUTHENTICATED. */
export async function authenticate(s: CoreServices, metadata: Metadata): Promise<Caller> {
  const header = metadata.get('authorization')[0];
  const value = typeof header === 'string' ? header : header?.toString('utf8');
  const match = value === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(value);
  const secret = match?.[1];
  if (secret === undefined) throw new UnauthenticatedError('missing "authorization: Bearer <api key>" metadata');
  const caller = await s.apiKeys.resolve(secret);
  if (caller === null) throw new UnauthenticatedError('unknown or revoked API key');
  const actor = metadataText(metadata, 'x-allot-actor');
  const channel = metadataText(metadata, 'x-allot-channel');
  return actor === '' && channel === '' ? caller : { ...caller, actingFor: { actor, channel } };
}

/** A short, printable metadata value ('' when absent); the audit stores it as given, so it is clipped. */
function metadataText(metadata: Metadata, key: string): string {
  const raw = metadata.get(key)[0];
  const value = typeof raw === 'string' ? raw : raw?.toString('utf8') ?? '';
  return value.replace(/[^\x20-\x7e]/g, '').slice(0, 200);
}

/**
 * What every handler does first: authenticate, then refuse a request the wire guard rejected or one that breaks
 * the bounds every field has (docs/api.md, Errors), so no use case sees it.
 */
export async function admitCall(s: CoreServices, metadata: Metadata, request: unknown): Promise<Caller> {
  const caller = await authenticate(s, metadata);
  if (request instanceof RejectedRequest) throw new CoreError(request.error);
  const bad = requestBoundsViolation(request);
  if (bad !== null) throw new CoreError(bad);
  return caller;
}

/** A unary handler: admit the call, run, map errors through the one status mapping. */
export function unary<Req, Res>(
  s: CoreServices,
  method: string,
  run: (caller: Caller, request: Req) => Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    admitCall(s, call.metadata, call.request)
      .then((caller) => run(caller, call.request))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(toServiceError(error, s.logger, method)),
      );
  };
}
