/**
 * Property-based tests of the credit rules: random sequences of entitlements, allocations, setting changes,
 * late and future events and period changes, checked against invariants a user relies on:
 *   - the draws of an event add up to its credits, and no draw is negative;
 *   - no source gives more than it has (allocation, pool, trial never go below zero);
 *   - every stage matches the ratio of consumed to available, recomputed from the test's own ledger;
 *   - projections rebuilt from the ledger equal the live ones.
 * Each run is reproducible: fast-check prints the seed and the shrunk command list of a failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capacityOf, type EntitlementTerms } from './capacity';
import { DEFAULT_LICENSE_CATALOG } from './license-catalog';
import { periodForEvent, LATE_EVENT_GRACE_MS, MAX_FUTURE_SKEW_MS } from './event-time';
import { periodEnd, periodOf, type Period } from './period';
import { TenantPeriodState, type Draw, type EnvironmentUsage } from './tenant-period-state';
import type { StageThresholds } from './stage';
import type { TrialState } from './trial';
import { sumDraws } from './draw';

const ENVS = ['prod', 'test', 'sales', 'hr'] as const;
const USERS = ['ada', 'bob', 'cy'] as const;
const ZONES = ['UTC', 'Europe/Paris', 'Pacific/Auckland', 'America/Los_Angeles'] as const;
const START = Date.parse('2026-10-20T10:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Command =
  | { kind: 'entitlement'; terms: EntitlementTerms }
  | { kind: 'allocate'; env: string; credits: number }
  | { kind: 'fallback'; env: string; on: boolean }
  | { kind: 'settings'; allowUnassigned: boolean; thresholds: StageThresholds }
  | { kind: 'advance'; ms: number }
  | { kind: 'event'; env: string; user: string; credits: number; offsetMs: number };

/** Amounts: arbitrary ones, and round ones that land exactly on stage boundaries (80 % of 100,000, ...). */
const amountArb = (max: number): fc.Arbitrary<number> =>
  fc.oneof(fc.constant(0), fc.integer({ min: 1, max }), fc.integer({ min: 1, max: Math.floor(max / 10_000) }).map((n) => n * 10_000));

const periodArb = fc.constantFrom('2026-09', '2026-10', '2026-11', '2026-12');
const thresholdsArb: fc.Arbitrary<StageThresholds> = fc
  .tuple(fc.oneof(fc.constant(80), fc.integer({ min: 1, max: 150 })), fc.oneof(fc.constant(20), fc.integer({ min: 0, max: 100 })), fc.oneof(fc.constant(25), fc.integer({ min: 1, max: 100 })))
  .map(([warning, extra, above]) => ({ warningPercent: warning, overagePercent: warning + extra, blockedPercent: warning + extra + above }));

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('entitlement' as const),
      terms: fc.oneof(
        fc.record({ kind: fc.constant('CAPACITY_ADDON' as const), sku: fc.constant(''), quantity: fc.integer({ min: 1, max: 3 }), firstPeriod: periodArb, lastPeriod: fc.option(periodArb, { nil: null }) }),
        fc.record({ kind: fc.constant('LICENSE' as const), sku: fc.constantFrom(...DEFAULT_LICENSE_CATALOG.keys()), quantity: fc.integer({ min: 1, max: 500 }), firstPeriod: periodArb, lastPeriod: fc.option(periodArb, { nil: null }) }),
      ),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('allocate' as const), env: fc.constantFrom(...ENVS), credits: amountArb(1_500_000) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('fallback' as const), env: fc.constantFrom(...ENVS), on: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('settings' as const), allowUnassigned: fc.boolean(), thresholds: thresholdsArb }), weight: 1 },
  // Up to 10 days at a time, so runs cross month boundaries (and the 72-hour grace) often.
  { arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 10 * DAY }) }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('event' as const),
      env: fc.constantFrom(...ENVS),
      user: fc.constantFrom(...USERS),
      credits: amountArb(400_000),
      // From 5 days late to 10 minutes ahead: late events, events in a closed period, refused future ones.
      offsetMs: fc.integer({ min: -5 * DAY, max: 10 * 60_000 }),
    }),
    weight: 10,
  },
);

interface LedgerRow {
  readonly period: Period;
  readonly env: string;
  readonly user: string;
  readonly credits: number;
  readonly draws: readonly Draw[];
}

/** A small model of the core: period states created on first use from the current configuration. */
class Model {
  readonly entitlements: EntitlementTerms[] = [];
  readonly allocations = new Map<string, number>();
  readonly fallback = new Set<string>();
  settings = { allowUnassigned: true, thresholds: { warningPercent: 80, overagePercent: 100, blockedPercent: 125 } };
  readonly states = new Map<Period, TenantPeriodState>();
  readonly trials: Map<string, TrialState>;
  readonly ledger: LedgerRow[] = [];
  now = START;

  constructor(
    readonly timeZone: string,
    trials: TrialState[],
  ) {
    // Copies: record() mutates the trials it draws on, and the test compares with the starting values.
    this.trials = new Map(trials.map((t) => [t.userId, { ...t }]));
  }

  capacity(period: Period): number {
    return capacityOf(this.entitlements, period, DEFAULT_LICENSE_CATALOG);
  }

  state(period: Period): TenantPeriodState {
    let s = this.states.get(period);
    if (s === undefined) {
      s = new TenantPeriodState({
        period,
        settings: this.settings,
        capacity: this.capacity(period),
        allocations: new Map(this.allocations),
        poolFallback: new Set(this.fallback),
        usage: new Map(),
        trials: this.trials,
      });
      this.states.set(period, s);
    }
    return s;
  }

  /** What the core does after an admin change: every loaded period follows the configuration. */
  configChanged(): void {
    for (const s of this.states.values()) {
      s.setSettings(this.settings);
      s.setCapacity(this.capacity(s.period));
      for (const env of ENVS) {
        s.setAllocation(env, this.allocations.get(env) ?? 0);
        s.setPoolFallback(env, this.fallback.has(env));
      }
    }
  }
}

/** Balances recomputed from the ledger and the configuration only, without TenantPeriodState's internals. */
function expectedScope(m: Model, state: TenantPeriodState, env: string): { consumed: number; available: number } {
  const rows = m.ledger.filter((r) => r.period === state.period);
  const allocation = state.allocations().get(env) ?? 0;
  if (allocation > 0) {
    const mine = rows.filter((r) => r.env === env);
    const fromPool = mine.reduce((s, r) => s + sumDraws(r.draws).UNASSIGNED, 0);
    return { consumed: mine.reduce((s, r) => s + r.credits, 0), available: allocation + fromPool };
  }
  const allocated = [...state.allocations().values()].reduce((s, c) => s + c, 0);
  const pool = state.settings.allowUnassigned ? Math.max(0, state.capacity - allocated) : 0;
  const unallocated = (e: string): boolean => (state.allocations().get(e) ?? 0) <= 0;
  // The pool's consumption: what anyone drew from it, plus the overage of environments without an allocation.
  const consumed = rows.reduce((s, r) => s + sumDraws(r.draws).UNASSIGNED + (unallocated(r.env) ? sumDraws(r.draws).OVERAGE : 0), 0);
  return { consumed, available: pool };
}

/** The stage from its definition, with rationals compared exactly: consumed / available against each threshold. */
function stageOfRatio(consumed: number, available: number, t: StageThresholds): string {
  if (available <= 0) return 'BLOCKED';
  const pct = (p: number): bigint => BigInt(p) * BigInt(available);
  const c = BigInt(consumed) * 100n;
  if (c >= pct(t.blockedPercent)) return 'BLOCKED';
  if (c > pct(t.overagePercent)) return 'OVERAGE';
  if (c >= pct(t.warningPercent)) return 'WARNING';
  return 'NORMAL';
}

function rebuiltUsage(m: Model, period: Period): Map<string, EnvironmentUsage> {
  const usage = new Map<string, EnvironmentUsage>();
  for (const r of m.ledger.filter((x) => x.period === period)) {
    const u = usage.get(r.env) ?? { allocation: 0, unassigned: 0, trial: 0, overage: 0, events: 0 };
    const s = sumDraws(r.draws);
    u.allocation += s.ALLOCATION;
    u.unassigned += s.UNASSIGNED;
    u.trial += s.TRIAL;
    u.overage += s.OVERAGE;
    u.events += 1;
    usage.set(r.env, u);
  }
  return usage;
}

const trialsArb = fc.subarray([...USERS]).chain((users) =>
  fc.tuple(
    ...users.map((userId) =>
      fc.record({ consumed: fc.integer({ min: 0, max: 200_000 }), expiresInMs: fc.integer({ min: -5 * DAY, max: 40 * DAY }) }).map(
        ({ consumed, expiresInMs }): TrialState => ({
          userId,
          credits: 200_000,
          consumed,
          startedAtMs: START + expiresInMs - 30 * DAY,
          expiresAtMs: START + expiresInMs,
          extensions: 0,
          status: consumed >= 200_000 ? 'EXHAUSTED' : 'ACTIVE',
        }),
      ),
    ),
  ),
);

describe('credit rules under random sequences (property-based)', () => {
  it('keeps every invariant of draws, sources, stages and projections', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), trialsArb, fc.array(commandArb, { minLength: 1, maxLength: 60 }), (zone, trials, commands) => {
        const m = new Model(zone, trials);
        for (const c of commands) {
          switch (c.kind) {
            case 'entitlement':
              m.entitlements.push(c.terms);
              m.configChanged();
              break;
            case 'allocate':
              if (c.credits > 0) m.allocations.set(c.env, c.credits);
              else m.allocations.delete(c.env);
              m.configChanged();
              break;
            case 'fallback':
              if (c.on) m.fallback.add(c.env);
              else m.fallback.delete(c.env);
              m.configChanged();
              break;
            case 'settings':
              m.settings = { allowUnassigned: c.allowUnassigned, thresholds: c.thresholds };
              m.configChanged();
              break;
            case 'advance':
              m.now += c.ms;
              break;
            case 'event': {
              const at = m.now + c.offsetMs;
              const period = periodForEvent(at, m.now, zone);
              // Late and future events: accepted exactly inside the documented limits.
              const tooLate = m.now - periodEnd(periodOf(at, zone), zone) > LATE_EVENT_GRACE_MS;
              const tooEarly = at - m.now > MAX_FUTURE_SKEW_MS;
              expect(period.ok).toBe(!tooLate && !tooEarly);
              if (!period.ok) break;
              expect(period.value).toBe(periodOf(at, zone));
              const state = m.state(period.value);
              const before = {
                allocation: (state.allocations().get(c.env) ?? 0) - state.usageOf(c.env).allocation - state.usageOf(c.env).overage,
                pool: state.poolRemaining(),
                trial: state.usableTrialCredits(c.user, m.now),
              };
              const draws = state.planDraws(c.env, c.user, c.credits, m.now);
              // The draws add up to the credits, each positive, each source at most once.
              expect(draws.reduce((s, d) => s + d.credits, 0)).toBe(c.credits);
              for (const d of draws) expect(d.credits).toBeGreaterThan(0);
              expect(new Set(draws.map((d) => d.source)).size).toBe(draws.length);
              const sums = sumDraws(draws);
              // No source gives more than it had.
              expect(sums.ALLOCATION).toBeLessThanOrEqual(Math.max(0, before.allocation));
              expect(sums.UNASSIGNED).toBeLessThanOrEqual(before.pool);
              expect(sums.TRIAL).toBeLessThanOrEqual(before.trial);
              state.record(c.env, c.user, draws);
              m.ledger.push({ period: period.value, env: c.env, user: c.user, credits: c.credits, draws });
              expect(state.poolRemaining()).toBeGreaterThanOrEqual(0);
              for (const t of m.trials.values()) expect(t.consumed).toBeLessThanOrEqual(t.credits);
              break;
            }
          }
          // After every step, in every period: stages match the ratio recomputed from the ledger.
          for (const state of m.states.values()) {
            for (const env of ENVS) {
              const b = state.balanceOf(env);
              const expected = expectedScope(m, state, env);
              expect({ env, period: state.period, consumed: b.consumed, available: b.available }).toEqual({ env, period: state.period, ...expected });
              expect(b.stage).toBe(stageOfRatio(expected.consumed, expected.available, state.settings.thresholds));
              expect(b.remaining).toBeGreaterThanOrEqual(0);
            }
          }
        }
        // Projections rebuilt from the ledger equal the live ones, period by period.
        for (const [period, live] of m.states) {
          const rebuilt = rebuiltUsage(m, period);
          for (const env of ENVS) {
            const u = rebuilt.get(env) ?? { allocation: 0, unassigned: 0, trial: 0, overage: 0, events: 0 };
            expect(live.usageOf(env)).toEqual(u);
          }
          const fresh = new TenantPeriodState({
            period,
            settings: m.settings,
            capacity: m.capacity(period),
            allocations: new Map(m.allocations),
            poolFallback: new Set(m.fallback),
            usage: rebuilt,
            trials: m.trials,
          });
          for (const env of ENVS) expect(fresh.balanceOf(env)).toEqual(live.balanceOf(env));
        }
        // Trials: what the ledger drew from each user's trial is what the trial says it consumed beyond its start.
        for (const t of trials) {
          const drawn = m.ledger.filter((r) => r.user === t.userId).reduce((s, r) => s + sumDraws(r.draws).TRIAL, 0);
          expect(m.trials.get(t.userId)?.consumed).toBe(t.consumed + drawn);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
