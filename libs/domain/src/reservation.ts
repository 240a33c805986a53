import type { Result } from './result';
import type { DomainError } from './domain-error';
import type { AccessDecision } from './access-decision';
import type { Hold, TenantPeriodState } from './tenant-period-state';
import type { Operation } from './stage';
import { ok, err } from './result';
import { domainError } from './domain-error';
import { decideAccess } from './access';
import { currencyOfSource } from './tenant-period-state';
import { copilotMillis, formatCopilotCredits } from './copilot-amount';
import { formatCredits } from './format-credits';
import { isBillable } from './stage';

/** A reservation lives at most 15 minutes (docs/licensing.md, Reservations). */
export const MAX_RESERVATION_TTL_MS = 15 * 60_000;
/** Without a ttl (ours): 5 minutes. */
export const DEFAULT_RESERVATION_TTL_MS = 5 * 60_000;

/** ttl: unset -> 5 min; otherwise 1 ms .. 15 min, INVALID_ARGUMENT on 'ttl'. */
export function validateTtl(ttlMs: number | null): Result<number, DomainError> {
  if (ttlMs === null) return ok(DEFAULT_RESERVATION_TTL_MS);
  if (!Number.isFinite(ttlMs) || ttlMs <= 0 || ttlMs > MAX_RESERVATION_TTL_MS) {
    return err(
      domainError('INVALID_ARGUMENT', 'RESERVATION.INVALID_TTL', `ttl must be above 0 and at most ${MAX_RESERVATION_TTL_MS / 60_000} minutes, got ${ttlMs} ms`, 'ttl'),
    );
  }
  return ok(Math.floor(ttlMs));
}

export type ReservationStatus = 'HELD' | 'COMMITTED' | 'RELEASED' | 'EXPIRED' | 'REFUSED';

/** A stored status at an instant: a HELD reservation whose time is up is EXPIRED, with nobody having to say so. */
export function reservationStatusAt(r: { readonly status: ReservationStatus; readonly expiresAtMs: number }, nowMs: number): ReservationStatus {
  return r.status === 'HELD' && nowMs >= r.expiresAtMs ? 'EXPIRED' : r.status;
}

export interface ReserveRequest {
  readonly reservationId: string;
  readonly environmentId: string;
  readonly userId: string;
  readonly operation: Operation;
  readonly sourceId: string;
  /** Estimate in AI Builder credits (priced already). */
  readonly credits: number;
  /** Estimate in Copilot thousandths (DUAL, capability given), else null. */
  readonly copilot: number | null;
  readonly nowMs: number;
  readonly ttlMs: number;
}

export interface ReserveDecision extends AccessDecision {
  /** The hold placed (already added to the state) when allowed; null when refused. */
  readonly hold: Hold | null;
}

const refused = (d: AccessDecision, reason: 'QUOTA_EXCEEDED' | 'SOURCE_LIMIT_EXCEEDED', message: string): ReserveDecision => ({
  ...d,
  allowed: false,
  reason,
  message,
  hold: null,
});

/**
 * The check and the hold in one step (docs/licensing.md, Reservations): the rules of CheckAccess first (same
 * reasons), then the estimate must be drawable without overage in one currency (ours: a hold never reaches into
 * overage or grace, so two runs can never both be granted the last credits), then within the source's cap.
 * A granted reservation adds its hold to the state; expired holds are dropped first.
 */
export function reserve(state: TenantPeriodState, req: ReserveRequest): ReserveDecision {
  state.expireHolds(req.nowMs);
  const d = decideAccess(state, req.environmentId, req.userId, req.operation, req.nowMs, req.sourceId);
  if (!d.allowed) return { ...d, hold: null };
  const billable = isBillable(req.operation);
  const credits = billable ? req.credits : 0;
  const copilot = billable ? req.copilot : null;
  const draws = credits === 0 && !(copilot !== null && copilot > 0) ? [] : state.planDraws(req.environmentId, req.userId, credits, req.nowMs, copilot);
  if (draws.some((x) => x.source === 'OVERAGE' || x.source === 'COPILOT_OVERAGE')) {
    const copilotLeft = d.copilotRemaining === undefined ? '' : ` and ${d.copilotRemaining === null ? 'unlimited' : formatCopilotCredits(d.copilotRemaining)} Copilot Credits`;
    return refused(
      d,
      'QUOTA_EXCEEDED',
      `cannot reserve ${formatCredits(credits)} credits${copilot !== null ? ` (${formatCopilotCredits(copilot)} Copilot Credits)` : ''} in ${req.environmentId}: ` +
        `only ${formatCredits(d.remaining)} credits${copilotLeft} left`,
    );
  }
  const limit = req.sourceId === '' ? undefined : state.sourceLimitOf(req.environmentId, req.sourceId);
  if (limit !== undefined) {
    const consumed = state.sourceConsumed(req.environmentId, req.sourceId, limit.currency);
    const adds = draws.filter((x) => currencyOfSource(x.source) === limit.currency).reduce((sum, x) => sum + x.credits, 0);
    const cap = limit.currency === 'COPILOT' ? copilotMillis(limit.credits) : limit.credits;
    if (consumed + adds > cap) {
      return refused(d, 'SOURCE_LIMIT_EXCEEDED', `cannot reserve for ${req.sourceId} in ${req.environmentId}: it would pass its cap of ${formatCredits(limit.credits)} ${limit.currency === 'COPILOT' ? 'Copilot Credits' : 'credits'} this period`);
    }
  }
  const hold: Hold = {
    reservationId: req.reservationId,
    environmentId: req.environmentId,
    userId: req.userId,
    sourceId: req.sourceId,
    draws,
    expiresAtMs: req.nowMs + req.ttlMs,
  };
  state.addHold(hold);
  const after = decideAccess(state, req.environmentId, req.userId, req.operation, req.nowMs);
  return { ...d, remaining: after.remaining, ...(after.copilotRemaining === undefined ? {} : { copilotRemaining: after.copilotRemaining }), hold };
}
