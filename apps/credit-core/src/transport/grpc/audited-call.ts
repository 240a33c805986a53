import type { handleUnaryCall } from '@grpc/grpc-js';
import type { CoreServices } from '../../core-services';
import type { Caller } from '../../auth/caller';
import { recordAudit, type AuditSubject } from '../../audit/audit.use-cases';
import { unary } from './grpc-call';

/**
 * A unary handler whose change, once made, is written to the tenant's audit. A refused call changed nothing and
 * writes nothing either (so a refused request leaves every collection as it was). `subject` names the tenant and
 * says what was asked.
 */
export function audited<Req, Res>(
  s: CoreServices,
  method: string,
  subject: (request: Req) => AuditSubject,
  run: (caller: Caller, request: Req) => Promise<Res>,
): handleUnaryCall<Req, Res> {
  return unary(s, method, async (caller, request) => {
    const response = await run(caller, request);
    await recordAudit(s, caller, method, subject(request), {});
    return response;
  });
}
