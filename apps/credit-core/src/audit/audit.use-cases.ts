import type { AuditEntry } from '@allot/contracts';
import type { CoreServices } from '../core-services';
import type { Caller } from '../auth/caller';
import { requireId } from '../shared/validate';
import type { AuditDoc } from './audit.mongo-repository';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/** What an audited call was about: its tenant and a sentence for people. */
export interface AuditSubject {
  readonly tenantId: string;
  readonly detail: string;
}

/**
 * Records one audited call. A failure to write the audit is logged, never turned into a failure of a change that
 * was already made.
 */
export async function recordAudit(
  s: CoreServices,
  caller: Caller,
  action: string,
  subject: AuditSubject,
  outcome: { readonly error?: unknown },
): Promise<void> {
  // A key scoped to another tenant writes nothing into this one's audit (its call was refused anyway).
  if (subject.tenantId === '' || (caller.tenantId !== null && caller.tenantId !== subject.tenantId)) return;
  const error = outcome.error === undefined ? '' : outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
  try {
    await s.audit.append({
      tenantId: subject.tenantId,
      at: new Date(s.clock.now()),
      keyId: caller.keyId,
      actor: caller.actingFor?.actor ?? '',
      channel: caller.actingFor?.channel ?? '',
      action,
      detail: subject.detail,
      succeeded: outcome.error === undefined,
      error,
    });
  } catch (e) {
    s.logger.warn('audit entry not written', { tenantId: subject.tenantId, action, error: e instanceof Error ? e.message : String(e) });
  }
}

const toWire = (d: AuditDoc): AuditEntry => ({
  entryId: d._id,
  tenantId: d.tenantId,
  at: d.at,
  keyId: d.keyId,
  actor: d.actor,
  channel: d.channel,
  action: d.action,
  detail: d.detail,
  succeeded: d.succeeded,
  error: d.error,
});

export async function listAuditEntries(s: CoreServices, tenantId: string, limit: number): Promise<AuditEntry[]> {
  const id = requireId(tenantId, 'tenant_id');
  const n = limit <= 0 ? DEFAULT_LIMIT : Math.min(MAX_LIMIT, limit);
  return (await s.audit.list(id, n)).map(toWire);
}
