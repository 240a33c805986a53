/** Builders shared by the domain's tests (not exported by the library). */
import type { EnvironmentUsage } from '../tenant-period-state';
import type { TrialState } from '../trial';
import { TenantPeriodState } from '../tenant-period-state';
import { DEFAULT_STAGE_THRESHOLDS } from '../stage';

export const NOW = Date.parse('2026-11-15T12:00:00Z');
export const DAY = 86_400_000;

/** An active 200,000-credit trial that started 30 days before it expires (default: 10 days after NOW). */
export const trial = (userId: string, consumed: number, expiresAtMs = NOW + 10 * DAY): TrialState => ({
  userId,
  credits: 200_000,
  consumed,
  startedAtMs: expiresAtMs - 30 * DAY,
  expiresAtMs,
  extensions: 0,
  status: 'ACTIVE',
});

export const usage = (u: Partial<EnvironmentUsage>): EnvironmentUsage => ({
  allocation: 0,
  unassigned: 0,
  trial: 0,
  overage: 0,
  events: 0,
  ...u,
});

export interface PeriodStateSetup {
  capacity: number;
  allocations: Record<string, number>;
  fallback?: string[];
  allowUnassigned?: boolean;
  usage?: Record<string, Partial<EnvironmentUsage>>;
  trials?: TrialState[];
}

/** A 2026-11 state with default thresholds; allow_unassigned defaults to true. */
export const periodState = (s: PeriodStateSetup): TenantPeriodState =>
  new TenantPeriodState({
    period: '2026-11',
    settings: { allowUnassigned: s.allowUnassigned ?? true, thresholds: DEFAULT_STAGE_THRESHOLDS },
    capacity: s.capacity,
    allocations: new Map(Object.entries(s.allocations)),
    poolFallback: new Set(s.fallback ?? []),
    usage: new Map(Object.entries(s.usage ?? {}).map(([env, u]) => [env, usage(u)])),
    trials: new Map((s.trials ?? []).map((t) => [t.userId, t])),
  });
