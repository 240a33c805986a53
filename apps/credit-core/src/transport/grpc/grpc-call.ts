import type { Metadata, ServerUnaryCall, handleUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import type { CoreServices } from '../../core-services';
import type { Caller } from '../../auth/caller';
import { UnauthenticatedError } from '../../shared/core-error';
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
  return caller;
}

/** A unary handler: authenticate, run, map errors through the one status mapping. */
export function unary<Req, Res>(
  s: CoreServices,
  method: string,
  run: (caller: Caller, request: Req) => Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    authenticate(s, call.metadata)
      .then((caller) => run(caller, call.request))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(toServiceError(error, s.logger, method)),
      );
  };
}
