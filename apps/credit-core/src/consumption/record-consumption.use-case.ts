import { MAX_FUTURE_SKEW_MS, domainError, isBillable } from '@allot/domain';
import type {
  RecordConsumptionBatchItem,
  RecordConsumptionRequest,
  RecordConsumptionResponse,
} from '@allot/contracts';
import type { CoreServices } from '../core-services';
import type { Caller } from '../auth/caller';
import { authorize } from '../auth/caller';
import { CoreError, withFieldPrefix } from '../shared/core-error';
import { priceAmount } from './price-amount';
import { STATUS_CODE_OF } from '../shared/status-codes';
import { requireId, requireText } from '../shared/validate';
import { NotOwnerError } from '../tenants/tenant-lease';
import { currencyToWire, drawsToWire, operationFromWire, stageToWire } from '../shared/wire';
import { fingerprintOf, type ConsumptionEvent, type RecordedEvent, type RecordOutcome } from '../tenants/tenant-types';

export const MAX_BATCH_EVENTS = 1_000;

/**
 * Checks every field of one event and prices it (rate card; free operations cost 0). Throws INVALID_ARGUMENT
 * naming the field; nothing is written for a malformed request.
 */
export function validateEvent(req: RecordConsumptionRequest, nowMs: number): { tenantId: string; event: ConsumptionEvent } {
  const tenantId = requireId(req.tenantId, 'tenant_id');
  const environmentId = requireId(req.environmentId, 'environment_id');
  const userId = requireId(req.userId, 'user_id');
  const idempotencyKey = requireId(req.idempotencyKey, 'idempotency_key');
  const operation = operationFromWire(req.operation, 'operation');
  const sourceId = requireText(req.sourceId, 'source_id', 256);
  const price = priceAmount(req.credits, req.capability, req.quantity);
  const credits = price.credits;
  // Without occurred_at the event happened now; the fingerprint keeps "unset" so a retry still matches.
  const occurredAtMs = req.occurredAt === undefined ? nowMs : req.occurredAt.getTime();
  if (!Number.isFinite(occurredAtMs)) {
    throw new CoreError(domainError('INVALID_ARGUMENT', 'CONSUMPTION.INVALID_TIME', 'occurred_at is not a valid time', 'occurred_at'));
  }
  if (occurredAtMs - nowMs > MAX_FUTURE_SKEW_MS) {
    throw new CoreError(
      domainError(
        'INVALID_ARGUMENT',
        'CONSUMPTION.IN_FUTURE',
        `occurred_at ${new Date(occurredAtMs).toISOString()} is ${Math.floor((occurredAtMs - nowMs) / 1000)} s in the future; ` +
          `at most ${MAX_FUTURE_SKEW_MS / 1000} s of clock skew is accepted`,
        'occurred_at',
      ),
    );
  }
  const priced = isBillable(operation) ? credits : 0;
  const content = {
    environmentId,
    userId,
    idempotencyKey,
    occurredAtMs,
    operation,
    credits: priced,
    capability: price.capability,
    quantity: price.quantity,
    sourceId,
  };
  // The fingerprint holds the credits asked for (before a free operation zeroes them), so reusing a TEST
  // event's key with other credits is a reused key, not a retry. For billable operations this is the priced
  // value, as before, so their stored fingerprints still match.
  const fingerprint = fingerprintOf({ ...content, credits, occurredAtMs: req.occurredAt === undefined ? -1 : occurredAtMs });
  const copilot = isBillable(operation) ? price.copilot : null;
  return { tenantId, event: { ...content, copilot, occurredAtGiven: req.occurredAt !== undefined, fingerprint } };
}

export const recordedToWire = (r: RecordedEvent): RecordConsumptionResponse => ({
  period: r.period,
  credits: r.credits,
  draws: drawsToWire(r.draws, r.charged !== null),
  duplicate: r.duplicate,
  stage: stageToWire(r.stage),
  eventId: r.eventId,
  // DUAL only (docs/licensing.md): the currency the event was charged in and the exact amount.
  ...(r.charged === null ? {} : { currency: currencyToWire(r.charged.currency), amount: r.charged.amount }),
});

/** Records one event (always, even when blocked); a retry returns the first answer with duplicate = true. */
export async function recordConsumption(
  s: CoreServices,
  caller: Caller,
  req: RecordConsumptionRequest,
): Promise<RecordConsumptionResponse> {
  authorize(caller, 'ingest', req.tenantId);
  const { tenantId, event } = validateEvent(req, s.clock.now());
  const [outcome] = await s.tenants.get(tenantId).record([event]);
  if (outcome === undefined) throw new Error('record returned no outcome');
  if (!outcome.ok) throw new CoreError(outcome.error);
  return recordedToWire(outcome.value);
}

/**
 * Records up to 1,000 events (several tenants allowed), one result per event in order. A malformed event
 * refuses the whole batch (INVALID_ARGUMENT naming events[i].field); business refusals are per item.
 */
export async function recordConsumptionBatch(
  s: CoreServices,
  caller: Caller,
  events: readonly RecordConsumptionRequest[],
): Promise<RecordConsumptionBatchItem[]> {
  if (events.length === 0 || events.length > MAX_BATCH_EVENTS) {
    throw new CoreError(
      domainError(
        'INVALID_ARGUMENT',
        'CONSUMPTION.BATCH_SIZE',
        `a batch holds 1 to ${MAX_BATCH_EVENTS} events, got ${events.length}`,
        'events',
      ),
    );
  }
  events.forEach((e) => authorize(caller, 'ingest', e.tenantId));
  const now = s.clock.now();
  const validated = events.map((e, i) => {
    try {
      return validateEvent(e, now);
    } catch (error) {
      if (error instanceof CoreError) throw new CoreError(withFieldPrefix(error.error, `events[${i}].`));
      throw error;
    }
  });
  const byTenant = new Map<string, number[]>();
  validated.forEach((v, i) => byTenant.set(v.tenantId, [...(byTenant.get(v.tenantId) ?? []), i]));
  const results: RecordConsumptionBatchItem[] = new Array(events.length);
  await Promise.all(
    [...byTenant].map(async ([tenantId, indexes]) => {
      let outcomes: RecordOutcome[];
      try {
        outcomes = await s.tenants.get(tenantId).record(indexes.map((i) => (validated[i] as { event: ConsumptionEvent }).event));
      } catch (error) {
        // Another replica owns this tenant: a batch of one tenant is forwarded whole by the transport; with
        // several tenants, this tenant's part goes to its owner.
        if (error instanceof NotOwnerError && byTenant.size > 1) {
          const remote = s.tenants.peers.recordAt(error.ownerAddress, indexes.map((i) => events[i] as RecordConsumptionRequest));
          if (remote === null) throw error;
          const items = await remote;
          indexes.forEach((index, k) => {
            results[index] = items[k] ?? { result: undefined, error: { code: 14, message: 'no answer from the owner', field: '' } };
          });
          return;
        }
        if (!(error instanceof CoreError)) throw error;
        outcomes = indexes.map(() => ({ ok: false, error: error.error }));
      }
      indexes.forEach((index, k) => {
        const o = outcomes[k];
        if (o === undefined) return;
        results[index] = o.ok
          ? { result: recordedToWire(o.value), error: undefined }
          : {
              result: undefined,
              error: { code: STATUS_CODE_OF[o.error.category], message: o.error.message, field: o.error.field ?? '' },
            };
      });
    }),
  );
  return results;
}
