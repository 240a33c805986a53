import type { Result } from './result';
import type { DomainError } from './domain-error';
import { ok, err } from './result';
import { domainError } from './domain-error';

/** Stages of docs/credit-rules.md, in increasing severity. */
export type Stage = 'NORMAL' | 'WARNING' | 'OVERAGE' | 'BLOCKED';
export type Operation = 'RUN' | 'TEST' | 'TRAIN' | 'MAKER';
export type DenialReason = 'QUOTA_EXCEEDED' | 'NO_CAPACITY' | 'ENTITLEMENT_NOT_AVAILABLE' | 'SOURCE_LIMIT_EXCEEDED';

/** Tenant policy, whole percentages of consumed / available. */
export interface StageThresholds {
  readonly warningPercent: number;
  readonly overagePercent: number;
  readonly blockedPercent: number;
}

/** 80 / 100 / 125. */
export const DEFAULT_STAGE_THRESHOLDS: StageThresholds = {
  warningPercent: 80,
  overagePercent: 100,
  blockedPercent: 125,
};

const thresholdError = (field: string, message: string): Result<never, DomainError> =>
  err(domainError('INVALID_ARGUMENT', 'SETTINGS.INVALID_THRESHOLDS', message, `thresholds.${field}`));

/** Validates thresholds: integers, 0 < warning <= overage < blocked. INVALID_ARGUMENT on 'thresholds.*'. */
export function validateThresholds(t: StageThresholds): Result<StageThresholds, DomainError> {
  const fields: ReadonlyArray<[string, number]> = [
    ['warning_percent', t.warningPercent],
    ['overage_percent', t.overagePercent],
    ['blocked_percent', t.blockedPercent],
  ];
  for (const [field, value] of fields) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      return thresholdError(field, `${field} must be a whole percentage above 0, got ${value}`);
    }
  }
  if (t.warningPercent > t.overagePercent) {
    return thresholdError(
      'warning_percent',
      `warning_percent ${t.warningPercent} must not exceed overage_percent ${t.overagePercent}`,
    );
  }
  if (t.overagePercent >= t.blockedPercent) {
    return thresholdError(
      'blocked_percent',
      `blocked_percent ${t.blockedPercent} must be above overage_percent ${t.overagePercent}`,
    );
  }
  return ok(t);
}

/**
 * Stage for consumed against available, in exact integer arithmetic:
 * NORMAL ratio < warning; WARNING warning <= ratio <= overage; OVERAGE overage < ratio < blocked;
 * BLOCKED ratio >= blocked. available 0 means "no credits at all": BLOCKED.
 */
export function stageFor(consumed: number, available: number, thresholds: StageThresholds): Stage {
  if (available <= 0) return 'BLOCKED';
  // consumed x 100 can pass 2^53 for large tenants; BigInt keeps the comparison exact.
  const scaled = BigInt(consumed) * 100n;
  const limit = (percent: number): bigint => BigInt(percent) * BigInt(available);
  if (scaled < limit(thresholds.warningPercent)) return 'NORMAL';
  if (scaled <= limit(thresholds.overagePercent)) return 'WARNING';
  if (scaled < limit(thresholds.blockedPercent)) return 'OVERAGE';
  return 'BLOCKED';
}

/** Is this operation allowed at this stage? (OVERAGE refuses MAKER and TEST; BLOCKED refuses all.) */
export function stageAllows(stage: Stage, operation: Operation): boolean {
  switch (stage) {
    case 'NORMAL':
    case 'WARNING':
      return true;
    case 'OVERAGE':
      // Grace: production work (RUN, TRAIN) goes on, building new things waits.
      return operation === 'RUN' || operation === 'TRAIN';
    case 'BLOCKED':
      return false;
  }
}

/** RUN is billable; TEST, TRAIN and MAKER are free (recorded with 0 credits). */
export function isBillable(operation: Operation): boolean {
  return operation === 'RUN';
}

const SEVERITY: Readonly<Record<Stage, number>> = { NORMAL: 0, WARNING: 1, OVERAGE: 2, BLOCKED: 3 };

/** Numeric severity for comparisons (NORMAL 0 .. BLOCKED 3). */
export function stageSeverity(stage: Stage): number {
  return SEVERITY[stage];
}
