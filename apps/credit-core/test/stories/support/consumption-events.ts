import { randomBytes } from 'node:crypto';
import { Operation, RecordConsumptionRequest, type CheckAccessRequest } from '@allot/contracts';

/** The fields a story chooses for one consumption event; the rest get neutral defaults. */
export interface EventSpec {
  readonly tenantId: string;
  readonly environmentId: string;
  readonly userId?: string;
  readonly idempotencyKey?: string;
  /** @defaultValue now (the real clock). */
  readonly occurredAt?: Date;
  /** @defaultValue OPERATION_RUN */
  readonly operation?: Operation;
  readonly credits?: number;
  readonly capability?: string;
  readonly quantity?: number;
  readonly sourceId?: string;
}

/** A unique idempotency key (tests never rely on the core to invent one). */
export function freshKey(prefix = 'evt'): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`;
}

/** A full RecordConsumptionRequest from a spec. */
export function consumptionEvent(spec: EventSpec): RecordConsumptionRequest {
  return RecordConsumptionRequest.fromPartial({
    tenantId: spec.tenantId,
    environmentId: spec.environmentId,
    userId: spec.userId ?? 'user-1',
    idempotencyKey: spec.idempotencyKey ?? freshKey(),
    occurredAt: spec.occurredAt ?? new Date(),
    operation: spec.operation ?? Operation.OPERATION_RUN,
    credits: spec.credits,
    capability: spec.capability ?? '',
    quantity: spec.quantity ?? 0,
    sourceId: spec.sourceId ?? '',
  });
}

/** A CheckAccess request (RUN unless told). */
export function accessQuery(
  tenantId: string,
  environmentId: string,
  operation: Operation = Operation.OPERATION_RUN,
  userId = 'user-1',
): CheckAccessRequest {
  return { tenantId, environmentId, userId, operation };
}
