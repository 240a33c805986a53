import { createHash } from 'node:crypto';
import {
  domainError,
  formatMillis,
  isBillable,
  reservationStatusAt,
  reserve,
  validateTtl,
  type ReservationStatus,
} from '@allot/domain';
import {
  ReservationStatus as WireReservationStatus,
  type CommitReservationRequest,
  type RecordConsumptionResponse,
  type ReleaseReservationRequest,
  type ReserveCreditsRequest,
  type ReserveCreditsResponse,
} from '@allot/contracts';
import type { CoreServices } from '../core-services';
import type { Caller } from '../auth/caller';
import { authorize } from '../auth/caller';
import type { ReservationDoc } from '../storage/collections';
import { CoreError, environmentNotFound, unwrap } from '../shared/core-error';
import { requireId, requireText } from '../shared/validate';
import { drawsToWire, operationFromWire, operationToWire, reasonToWire, stageToWire } from '../shared/wire';
import { licensingModelOf } from '../tenants/licensing-config';
import { recordConsumption } from './record-consumption.use-case';
import { priceAmount } from './price-amount';

/** A reservation's id, derived from its idempotency key so a retry finds it without another index. */
const reservationIdOf = (tenantId: string, key: string): string =>
  `rsv-${createHash('sha256').update(`${tenantId}|${key}`).digest('hex').slice(0, 32)}`;

/** The idempotency key of the consumption event a commit records. */
export const commitKeyOf = (reservationId: string): string => `reservation:${reservationId}`;

const statusToWire = (s: ReservationStatus): WireReservationStatus => WireReservationStatus[`RESERVATION_STATUS_${s}`];

const toResponse = (d: ReservationDoc, nowMs: number, duplicate: boolean, dual: boolean): ReserveCreditsResponse => ({
  reservationId: d.allowed ? d.reservationId : '',
  expiresAt: d.allowed ? d.expiresAt : undefined,
  allowed: d.allowed,
  reason: reasonToWire((d.reason ?? null) as Parameters<typeof reasonToWire>[0]),
  remaining: d.remaining,
  message: d.message,
  duplicate,
  stage: stageToWire(d.stage),
  held: drawsToWire(d.draws, dual),
  status: statusToWire(reservationStatusAt({ status: d.status, expiresAtMs: d.expiresAt.getTime() }, nowMs)),
  ...(d.copilotRemaining === undefined ? {} : d.copilotRemaining === null ? { copilotUnlimited: true } : { copilotRemaining: formatMillis(d.copilotRemaining), copilotUnlimited: false }),
});

/**
 * ReserveCredits: the check and the hold in one step, inside the tenant's single writer (so 64 concurrent calls for
 * the last credits are decided one after the other), persisted before the answer (a restart or a new owner loads
 * it with its period). A retry with the same key and content returns the first answer (duplicate = true).
 */
export async function reserveCredits(s: CoreServices, caller: Caller, req: ReserveCreditsRequest): Promise<ReserveCreditsResponse> {
  authorize(caller, 'ingest', req.tenantId);
  const tenantId = requireId(req.tenantId, 'tenant_id');
  const environmentId = requireId(req.environmentId, 'environment_id');
  const userId = requireId(req.userId, 'user_id');
  const idempotencyKey = requireId(req.idempotencyKey, 'idempotency_key');
  const operation = operationFromWire(req.operation, 'operation');
  const sourceId = requireText(req.sourceId, 'source_id', 256);
  const price = priceAmount(req.credits, req.capability, req.quantity);
  const ttlMs = unwrap(validateTtl(req.ttl === undefined ? null : req.ttl.seconds * 1000 + Math.floor(req.ttl.nanos / 1e6)));
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([environmentId, userId, operation, sourceId, price.credits, price.capability, price.quantity, ttlMs]))
    .digest('hex')
    .slice(0, 32);
  const reservationId = reservationIdOf(tenantId, idempotencyKey);
  return s.tenants.get(tenantId).exclusive(async (ctx) => {
    const dual = licensingModelOf(ctx.config.tenant) === 'DUAL';
    const now = ctx.now();
    const existing = await s.c.reservations.findOne({ _id: `${tenantId}|${reservationId}` });
    if (existing !== null) {
      if (existing.fingerprint !== fingerprint) {
        throw new CoreError(domainError('ALREADY_EXISTS', 'RESERVATION.KEY_REUSED', `idempotency_key ${idempotencyKey} was used for another reservation`, 'idempotency_key'));
      }
      return toResponse(existing, now, true, dual);
    }
    if (!ctx.config.envs.has(environmentId)) throw environmentNotFound(tenantId, environmentId);
    const period = ctx.currentPeriod(now);
    const state = await ctx.periodState(period);
    const d = reserve(state, {
      reservationId,
      environmentId,
      userId,
      operation,
      sourceId,
      credits: isBillable(operation) ? price.credits : 0,
      copilot: isBillable(operation) ? price.copilot : null,
      nowMs: now,
      ttlMs,
    });
    const doc: ReservationDoc = {
      _id: `${tenantId}|${reservationId}`,
      tenantId,
      reservationId,
      idempotencyKey,
      fingerprint,
      period,
      environmentId,
      userId,
      operation,
      sourceId,
      credits: price.credits,
      copilot: price.copilot,
      draws: d.hold === null ? [] : d.hold.draws.map((x) => ({ source: x.source, credits: x.credits })),
      status: d.allowed ? 'HELD' : 'REFUSED',
      allowed: d.allowed,
      reason: d.reason,
      stage: d.stage,
      remaining: d.remaining,
      copilotRemaining: d.copilotRemaining,
      message: d.message,
      createdAt: new Date(now),
      expiresAt: new Date(now + ttlMs),
    };
    try {
      await s.c.reservations.insertOne(doc);
    } catch (e) {
      // Not stored, so not granted: the hold goes.
      state.removeHold(reservationId);
      throw e;
    }
    return toResponse(doc, now, false, dual);
  });
}

/**
 * CommitReservation: ends the hold and records the actual amount as a normal consumption event (idempotency key
 * derived from the reservation, so a retried commit returns the first result with duplicate = true). A reservation
 * that expired is still committed (the work happened; ours). A released or refused one: FAILED_PRECONDITION.
 */
export async function commitReservation(s: CoreServices, caller: Caller, req: CommitReservationRequest): Promise<RecordConsumptionResponse> {
  authorize(caller, 'ingest', req.tenantId);
  const tenantId = requireId(req.tenantId, 'tenant_id');
  const reservationId = requireId(req.reservationId, 'reservation_id');
  priceAmount(req.credits, req.capability, req.quantity);
  const doc = await s.tenants.get(tenantId).exclusive(async (ctx) => {
    const d = await s.c.reservations.findOne({ _id: `${tenantId}|${reservationId}` });
    if (d === null) throw new CoreError(domainError('NOT_FOUND', 'RESERVATION.NOT_FOUND', `reservation ${reservationId} does not exist in ${tenantId}`, 'reservation_id'));
    if (d.status === 'REFUSED' || d.status === 'RELEASED') {
      throw new CoreError(domainError('FAILED_PRECONDITION', 'RESERVATION.ENDED', `reservation ${reservationId} was ${d.status.toLowerCase()}; nothing to commit`, 'reservation_id'));
    }
    if (d.status === 'HELD') {
      await s.c.reservations.updateOne({ _id: d._id }, { $set: { status: 'COMMITTED' } });
      (await ctx.periodState(d.period)).removeHold(reservationId);
    }
    return d;
  });
  return recordConsumption(s, caller, {
    tenantId,
    environmentId: doc.environmentId,
    userId: doc.userId,
    idempotencyKey: commitKeyOf(reservationId),
    occurredAt: req.occurredAt,
    operation: operationToWire(doc.operation),
    credits: req.credits,
    capability: req.capability,
    quantity: req.quantity,
    sourceId: doc.sourceId,
  });
}

/** ReleaseReservation: gives the hold back; an ended reservation is left as it is. Returns where it stands. */
export async function releaseReservation(s: CoreServices, caller: Caller, req: ReleaseReservationRequest): Promise<WireReservationStatus> {
  authorize(caller, 'ingest', req.tenantId);
  const tenantId = requireId(req.tenantId, 'tenant_id');
  const reservationId = requireId(req.reservationId, 'reservation_id');
  return s.tenants.get(tenantId).exclusive(async (ctx) => {
    const d = await s.c.reservations.findOne({ _id: `${tenantId}|${reservationId}` });
    if (d === null) throw new CoreError(domainError('NOT_FOUND', 'RESERVATION.NOT_FOUND', `reservation ${reservationId} does not exist in ${tenantId}`, 'reservation_id'));
    const status = reservationStatusAt({ status: d.status, expiresAtMs: d.expiresAt.getTime() }, ctx.now());
    if (status !== 'HELD') return statusToWire(status);
    await s.c.reservations.updateOne({ _id: d._id }, { $set: { status: 'RELEASED' } });
    (await ctx.periodState(d.period)).removeHold(reservationId);
    return statusToWire('RELEASED');
  });
}
