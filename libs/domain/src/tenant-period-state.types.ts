/** The data types of a tenant's period state (tenant-period-state.ts): draws, usage, Copilot setup, limits, holds. */
import type { Period } from './period';
import type { StageThresholds, Stage, DenialReason } from './stage';
import type { TrialState } from './trial';
import type { Currency } from './copilot-amount';
import type { LicensingModel } from './licensing';

export type AiBuilderDrawSource = 'ALLOCATION' | 'UNASSIGNED' | 'TRIAL' | 'OVERAGE';
export type CopilotDrawSource = 'COPILOT_ALLOCATION' | 'COPILOT_UNASSIGNED' | 'COPILOT_PAYG' | 'COPILOT_OVERAGE';
export type DrawSource = AiBuilderDrawSource | CopilotDrawSource;

/**
 * Part of one event's cost and where it came from. `credits` is in the source's currency: whole AI Builder
 * credits, or thousandths of a Copilot Credit for the COPILOT_* sources (copilot-amount.ts).
 */
export interface Draw {
  readonly source: DrawSource;
  readonly credits: number;
}

export const currencyOfSource = (source: DrawSource): Currency => (source.startsWith('COPILOT_') ? 'COPILOT' : 'AI_BUILDER');

/** What one environment drew in Copilot Credits in a period, in thousandths (DUAL only). */
export interface CopilotUsage {
  allocation: number;
  unassigned: number;
  payg: number;
  overage: number;
}

/** DUAL's Copilot configuration for one period; admin amounts are whole Copilot Credits. */
export interface CopilotSetup {
  /** Packs active in the period x 25,000. */
  readonly capacity: number;
  /** environment id -> monthly Copilot allocation (whole credits, > 0 only). */
  readonly allocations: ReadonlyMap<string, number>;
  /** Environments that do NOT "draw from the available capacity in my tenant" (the setting defaults to true). */
  readonly noTenantDraw: ReadonlySet<string>;
  /** A COPILOT_PAYG entitlement is active: pay-as-you-go billing exists for the tenant. */
  readonly paygActive: boolean;
  /** environment id -> pay-as-you-go enabled, with its monthly budget in whole credits (null: no budget). */
  readonly payg: ReadonlyMap<string, number | null>;
}

/** An admin's cap on one source (app or flow) in one environment, per period, in one currency (whole credits). */
export interface SourceLimit {
  readonly currency: Currency;
  readonly credits: number;
}

/** What one source consumed in a period: AI Builder credits and Copilot thousandths (overage included). */
export interface SourceUsage {
  credits: number;
  copilot: number;
}

/** Credits held by an open reservation (reservation.ts): they count as consumed until committed, released or expired. */
export interface Hold {
  readonly reservationId: string;
  readonly environmentId: string;
  readonly userId: string;
  readonly sourceId: string;
  readonly draws: readonly Draw[];
  readonly expiresAtMs: number;
}

/** What one environment consumed in a period, by source. */
export interface EnvironmentUsage {
  allocation: number;
  unassigned: number;
  trial: number;
  overage: number;
  events: number;
  /** Copilot draws (DUAL); absent until the environment draws any. */
  copilot?: CopilotUsage;
  /** source (app or flow) id -> what it drew; absent until an event names a source. */
  sources?: Map<string, SourceUsage>;
}

export interface TenantSettings {
  readonly allowUnassigned: boolean;
  readonly thresholds: StageThresholds;
}

/** Everything the rules need about one tenant in one period. Built by the core from its stored projection. */
export interface TenantPeriodInit {
  readonly period: Period;
  readonly settings: TenantSettings;
  /** Capacity(P). */
  readonly capacity: number;
  /** environment id -> monthly allocation (> 0 only). */
  readonly allocations: ReadonlyMap<string, number>;
  /** environment ids with tenant_pool_fallback. */
  readonly poolFallback: ReadonlySet<string>;
  /** environment id -> usage so far in the period (taken over and mutated by record()). */
  readonly usage: Map<string, EnvironmentUsage>;
  /** user id -> trial; shared with the tenant's other periods (mutated by record() on trial draws). */
  readonly trials: Map<string, TrialState>;
  /** Default CLASSIC. */
  readonly licensingModel?: LicensingModel;
  /** DUAL's Copilot sources; none under CLASSIC. */
  readonly copilot?: CopilotSetup;
  /** environment id -> source id -> cap. */
  readonly sourceLimits?: ReadonlyMap<string, ReadonlyMap<string, SourceLimit>>;
  /** Open reservations of the period (taken over; reservation.ts adds and removes). */
  readonly holds?: Map<string, Hold>;
}

/** Copilot balance of one environment, in thousandths; remaining null means unlimited (pay-as-you-go, no budget). */
export interface CopilotBalance {
  readonly consumed: number;
  readonly remaining: number | null;
  /** consumed - overage + remaining; null when unlimited. */
  readonly available: number | null;
  readonly overage: number;
}

/** Balance of the scope an environment draws from: its allocation, or the shared pool. */
export interface ScopeBalance {
  readonly scope: 'ENVIRONMENT' | 'POOL';
  readonly available: number;
  readonly consumed: number;
  readonly remaining: number;
  readonly overage: number;
  readonly stage: Stage;
  /** Set when the scope is BLOCKED for lack of any credits. */
  readonly reason: DenialReason | null;
}

