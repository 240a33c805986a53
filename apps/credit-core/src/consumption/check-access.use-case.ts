import { decideAccess, formatMillis } from '@allot/domain';
import type { CheckAccessRequest, CheckAccessResponse } from '@allot/contracts';
import type { CoreServices } from '../core-services';
import { requireId, requireText } from '../shared/validate';
import { operationFromWire, reasonToWire, stageToWire } from '../shared/wire';
import { readTenantState } from '../tenants/tenant-view';
import { environmentNotFound } from '../shared/core-error';

/** May this user run this operation in this environment now? Answered from memory (no database round trip). */
export async function checkAccess(s: CoreServices, req: CheckAccessRequest): Promise<CheckAccessResponse> {
  const tenantId = requireId(req.tenantId, 'tenant_id');
  const environmentId = requireId(req.environmentId, 'environment_id');
  // The user matters only for trials, so CheckAccess accepts an empty one.
  const userId = req.userId === '' ? '' : requireId(req.userId, 'user_id');
  const operation = operationFromWire(req.operation, 'operation');
  const source = req.source === undefined ? '' : requireText(req.source, 'source', 256);
  return readTenantState(s, tenantId, null, (config, state, now) => {
    if (!config.envs.has(environmentId)) throw environmentNotFound(tenantId, environmentId);
    const d = decideAccess(state, environmentId, userId, operation, now, source);
    return {
      allowed: d.allowed,
      stage: stageToWire(d.stage),
      reason: reasonToWire(d.reason),
      remaining: d.remaining,
      message: d.message,
      // DUAL only (docs/licensing.md): CLASSIC answers stay as in v1.
      ...(d.copilotRemaining === undefined
        ? {}
        : d.copilotRemaining === null
          ? { copilotUnlimited: true }
          : { copilotRemaining: formatMillis(d.copilotRemaining), copilotUnlimited: false }),
    };
  });
}
