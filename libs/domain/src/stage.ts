/** Stages of DOMAIN.md, in increasing severity. */
export type Stage = 'NORMAL' | 'WARNING' | 'OVERAGE' | 'BLOCKED';
export type Operation = 'RUN' | 'TEST' | 'TRAIN' | 'MAKER';
export type DenialReason = 'QUOTA_EXCEEDED' | 'NO_CAPACITY' | 'ENTITLEMENT_NOT_AVAILABLE';

/** Tenant policy, whole percentages of consumed / available. */
export interface StageThresholds {
  readonly warningPercent: number;
  readonly overagePercent: number;
  readonly blockedPercent: number;
}

/** 80 / 100 / 125. */
export declare const DEFAULT_STAGE_THRESHOLDS: StageThresholds;

/** Validates thresholds: integers, 0 < warning <= overage < blocked. INVALID_ARGUMENT on 'thresholds.*'. */
export declare function validateThresholds(
  t: StageThresholds,
): import('./result').Result<StageThresholds, import('./domain-error').DomainError>;

/**
 * Stage for consumed against available, in exact integer arithmetic:
 * NORMAL ratio < warning; WARNING warning <= ratio <= overage; OVERAGE overage < ratio < blocked;
 * BLOCKED ratio >= blocked. available 0 means "no credits at all": BLOCKED.
 */
export declare function stageFor(consumed: number, available: number, thresholds: StageThresholds): Stage;

/** Is this operation allowed at this stage? (OVERAGE refuses MAKER and TEST; BLOCKED refuses all.) */
export declare function stageAllows(stage: Stage, operation: Operation): boolean;

/** RUN is billable; TEST, TRAIN and MAKER are free (recorded with 0 credits). */
export declare function isBillable(operation: Operation): boolean;

/** Numeric severity for comparisons (NORMAL 0 .. BLOCKED 3). */
export declare function stageSeverity(stage: Stage): number;
