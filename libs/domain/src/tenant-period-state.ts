import type { Period } from './period';
import type { TrialState } from './trial';
import type { Currency } from './copilot-amount';
import type { LicensingModel } from './licensing';
import { copilotMillis } from './copilot-amount';
import { stageFor } from './stage';
import { trialRemaining, trialStatusAt } from './trial';
import { takeInOrder } from './draw-order';
import { addEventToUsage, emptyCopilotUsage, emptyEnvironmentUsage } from './environment-usage';
import { HoldBook } from './hold-book';
import type { DrawSource, Draw, CopilotSetup, SourceLimit, Hold, EnvironmentUsage, TenantSettings, TenantPeriodInit, CopilotBalance, ScopeBalance } from './tenant-period-state.types';

// The types live in tenant-period-state.types.ts; re-exported so that importers keep one place to import from.
export type { AiBuilderDrawSource, CopilotDrawSource, DrawSource, Draw, CopilotUsage, CopilotSetup, SourceLimit, SourceUsage, Hold, EnvironmentUsage, TenantSettings, TenantPeriodInit, CopilotBalance, ScopeBalance } from './tenant-period-state.types';
export { currencyOfSource } from './tenant-period-state.types';

const NO_COPILOT: CopilotSetup = { capacity: 0, allocations: new Map(), noTenantDraw: new Set(), paygActive: false, payg: new Map() };

/**
 * The live projection of one tenant and period: draw order, balances, stages. Pure and synchronous; the core
 * persists what record() changed. All numbers are integers.
 *
 * Nothing derived (pool drawn, stages) is cached: every read recomputes from allocations, settings and usage,
 * which is what makes an admin change lift a block "in the same second" (docs/credit-rules.md, Stages).
 */
export class TenantPeriodState {
  readonly period: Period;
  private currentCapacity: number;
  private currentSettings: TenantSettings;
  private readonly allocationByEnv: Map<string, number>;
  private readonly fallbackEnvs: Set<string>;
  private readonly usage: Map<string, EnvironmentUsage>;
  private readonly trials: Map<string, TrialState>;
  private currentModel: LicensingModel;
  private copilotSetup: CopilotSetup;
  private readonly limits: Map<string, Map<string, SourceLimit>>;
  private readonly holdBook: HoldBook;

  constructor(init: TenantPeriodInit) {
    this.period = init.period;
    this.currentCapacity = init.capacity;
    this.currentSettings = init.settings;
    // Copies: admin changes go through the setters, not through the caller's maps.
    this.allocationByEnv = new Map([...init.allocations].filter(([, credits]) => credits > 0));
    this.fallbackEnvs = new Set(init.poolFallback);
    // Taken over on purpose: the core persists the very objects record() mutates.
    this.usage = init.usage;
    this.trials = init.trials;
    this.currentModel = init.licensingModel ?? 'CLASSIC';
    this.copilotSetup = init.copilot ?? NO_COPILOT;
    this.limits = new Map([...(init.sourceLimits ?? new Map<string, ReadonlyMap<string, SourceLimit>>())].map(([env, m]) => [env, new Map(m)]));
    this.holdBook = new HoldBook(init.holds ?? new Map());
  }

  get licensingModel(): LicensingModel {
    return this.currentModel;
  }

  get copilot(): CopilotSetup {
    return this.copilotSetup;
  }

  get capacity(): number {
    return this.currentCapacity;
  }

  get settings(): TenantSettings {
    return this.currentSettings;
  }

  /** Capacity - allocations, 0 if over-allocated; 0 too when allow_unassigned is false. */
  unassignedPool(): number {
    if (!this.currentSettings.allowUnassigned) return 0;
    return Math.max(0, this.currentCapacity - this.allocatedTotal());
  }

  /** Credits drawn from the pool so far (by any environment) plus overage of environments without an allocation. */
  poolConsumed(): number {
    let consumed = 0;
    for (const [env, u] of this.usage) {
      consumed += u.unassigned;
      if (!this.hasAllocation(env)) consumed += u.overage;
    }
    return consumed;
  }

  /** Credits still in the pool: unassignedPool() minus what anyone drew from it this period. */
  poolRemaining(): number {
    let drawn = this.holdBook.from('UNASSIGNED');
    for (const u of this.usage.values()) drawn += u.unassigned;
    return Math.max(0, this.unassignedPool() - drawn);
  }

  usageOf(environmentId: string): EnvironmentUsage {
    // A copy, so callers cannot bypass record().
    return { ...(this.usage.get(environmentId) ?? emptyEnvironmentUsage()) };
  }

  hasAllocation(environmentId: string): boolean {
    return (this.allocationByEnv.get(environmentId) ?? 0) > 0;
  }

  hasPoolFallback(environmentId: string): boolean {
    return this.fallbackEnvs.has(environmentId);
  }

  trialOf(userId: string): TrialState | undefined {
    return this.trials.get(userId);
  }

  /** Credits the user's trial can still give in an environment without an allocation (0 if unusable). */
  usableTrialCredits(userId: string, nowMs: number): number {
    if (!this.currentSettings.allowUnassigned) return 0;
    const trial = this.trials.get(userId);
    if (trial === undefined) return 0;
    return Math.max(0, trialRemaining(trial, nowMs) - this.holdBook.from('TRIAL', (h) => h.userId === userId));
  }

  /** Does any user of the tenant hold an ACTIVE trial at nowMs? */
  hasActiveTrial(nowMs: number): boolean {
    for (const t of this.trials.values()) if (trialStatusAt(t, nowMs) === 'ACTIVE') return true;
    return false;
  }

  /**
   * Does any user hold a trial still in its term at nowMs (ACTIVE, or EXHAUSTED: credits used up before the
   * end)? Such a tenant has an entitlement, so its refusals are NO_CAPACITY (docs/credit-rules.md, Trials).
   */
  hasTrialInTerm(nowMs: number): boolean {
    for (const t of this.trials.values()) if (trialStatusAt(t, nowMs) !== 'EXPIRED') return true;
    return false;
  }

  /**
   * Split of `credits` for an event in environmentId by userId (docs/credit-rules.md, Draw order). Does not change state.
   * 0 credits: no draws. Under DUAL (docs/licensing.md, Draw order) `copilot` is the event's Copilot price in
   * thousandths (null when the event was given as credits only): AI Builder credits if they cover the whole event,
   * otherwise the whole event in Copilot Credits (allocation, tenant pool, pay-as-you-go), never split across the two.
   */
  planDraws(environmentId: string, userId: string, credits: number, nowMs: number, copilot: number | null = null): Draw[] {
    if (this.currentModel === 'DUAL') return this.planDualDraws(environmentId, userId, credits, nowMs, copilot);
    return takeInOrder(Math.max(0, credits), this.aiBuilderSources(environmentId, userId, nowMs), 'OVERAGE');
  }

  /** AI Builder sources an event in environmentId by userId may draw from, in order, with what each has left. */
  aiBuilderSources(environmentId: string, userId: string, nowMs: number): Array<[DrawSource, number]> {
    const sources: Array<[DrawSource, number]> = [];
    const allowUnassigned = this.currentSettings.allowUnassigned;
    const allocation = this.allocationByEnv.get(environmentId) ?? 0;
    if (allocation > 0) {
      sources.push(['ALLOCATION', allocation - this.usedOfAllocation(environmentId)]);
      if (this.fallbackEnvs.has(environmentId) && allowUnassigned) sources.push(['UNASSIGNED', this.poolRemaining()]);
    } else if (allowUnassigned) {
      sources.push(['UNASSIGNED', this.poolRemaining()]);
      sources.push(['TRIAL', this.usableTrialCredits(userId, nowMs)]);
    }
    return sources;
  }

  /** Copilot sources of environmentId in order, thousandths left in each (Infinity: pay-as-you-go without a budget). */
  copilotSources(environmentId: string): Array<[DrawSource, number]> {
    if (this.currentModel !== 'DUAL') return [];
    const c = this.copilotSetup;
    const u = this.usage.get(environmentId)?.copilot ?? emptyCopilotUsage();
    const sources: Array<[DrawSource, number]> = [];
    const allocation = copilotMillis(c.allocations.get(environmentId) ?? 0);
    if (allocation > 0) sources.push(['COPILOT_ALLOCATION', allocation - u.allocation - this.holdBook.from('COPILOT_ALLOCATION', (h) => h.environmentId === environmentId)]);
    if (!c.noTenantDraw.has(environmentId)) sources.push(['COPILOT_UNASSIGNED', this.copilotPoolRemaining()]);
    if (c.paygActive && c.payg.has(environmentId)) {
      const budget = c.payg.get(environmentId) ?? null;
      const held = this.holdBook.from('COPILOT_PAYG', (h) => h.environmentId === environmentId);
      sources.push(['COPILOT_PAYG', budget === null ? Number.POSITIVE_INFINITY : copilotMillis(budget) - u.payg - held]);
    }
    return sources;
  }

  /** Does environmentId have any Copilot source this period (a pack for the tenant, an allocation, pay-as-you-go)? */
  hasCopilotSource(environmentId: string): boolean {
    const c = this.copilotSetup;
    if ((c.allocations.get(environmentId) ?? 0) > 0) return true;
    if (c.capacity > 0 && !c.noTenantDraw.has(environmentId)) return true;
    return c.paygActive && c.payg.has(environmentId);
  }

  /** Copilot capacity - Copilot allocations, in thousandths (0 if over-allocated). */
  copilotUnassignedPool(): number {
    let allocated = 0;
    for (const credits of this.copilotSetup.allocations.values()) allocated += credits;
    return copilotMillis(Math.max(0, this.copilotSetup.capacity - allocated));
  }

  /** What is left of the Copilot pool after every environment's draws and holds, in thousandths. */
  copilotPoolRemaining(): number {
    let drawn = this.holdBook.from('COPILOT_UNASSIGNED');
    for (const u of this.usage.values()) drawn += u.copilot?.unassigned ?? 0;
    return Math.max(0, this.copilotUnassignedPool() - drawn);
  }

  private planDualDraws(environmentId: string, userId: string, credits: number, nowMs: number, copilot: number | null): Draw[] {
    const aiBuilder = this.aiBuilderSources(environmentId, userId, nowMs);
    const aiBuilderLeft = aiBuilder.reduce((sum, [, left]) => sum + Math.max(0, left), 0);
    const price = Math.max(0, credits);
    if (price <= aiBuilderLeft || copilot === null) return takeInOrder(price, aiBuilder, 'OVERAGE');
    // With no Copilot source at all this period the event stays in AI Builder credits (what they cover, the rest
    // overage). With one, used up or not, the whole event is charged in Copilot Credits: what no source covers is
    // Copilot overage (docs/licensing.md, Draw order).
    if (!this.hasCopilotSource(environmentId)) return takeInOrder(price, aiBuilder, 'OVERAGE');
    return takeInOrder(Math.max(0, copilot), this.copilotSources(environmentId), 'COPILOT_OVERAGE');
  }

  /**
   * Applies an event's draws to usage, pool and trial. Counts one event even with no draws, since free
   * operations are recorded too. A TRIAL draw for a user without a trial is a broken invariant: it throws.
   */
  record(environmentId: string, userId: string, draws: readonly Draw[], sourceId = ''): void {
    const trial = this.trials.get(userId);
    const trialDrawn = draws.reduce((sum, d) => sum + (d.source === 'TRIAL' ? d.credits : 0), 0);
    if (trial === undefined && trialDrawn > 0) throw new Error(`draw from the trial of ${userId}, who has no trial`);
    let u = this.usage.get(environmentId);
    if (u === undefined) {
      u = emptyEnvironmentUsage();
      this.usage.set(environmentId, u);
    }
    addEventToUsage(u, draws, sourceId);
    if (trial !== undefined && trialDrawn > 0) {
      trial.consumed += trialDrawn;
      if (trial.consumed >= trial.credits) trial.status = 'EXHAUSTED';
    }
  }

  /** Balance and stage of the scope environmentId draws from. */
  balanceOf(environmentId: string): ScopeBalance {
    const allocation = this.allocationByEnv.get(environmentId) ?? 0;
    if (allocation <= 0) return this.poolBalance();
    const u = this.usage.get(environmentId) ?? emptyEnvironmentUsage();
    const heldAllocation = this.holdBook.from('ALLOCATION', (h) => h.environmentId === environmentId);
    const heldPool = this.holdBook.from('UNASSIGNED', (h) => h.environmentId === environmentId);
    // What it drew from the pool under fallback widened its budget, so it counts as available. Holds count as consumed.
    const available = allocation + u.unassigned + heldPool;
    const consumed = u.allocation + u.unassigned + u.trial + u.overage + heldAllocation + heldPool;
    const fallbackOpen = this.fallbackEnvs.has(environmentId) && this.currentSettings.allowUnassigned;
    const remaining = Math.max(0, allocation - this.usedOfAllocation(environmentId)) + (fallbackOpen ? this.poolRemaining() : 0);
    const stage = stageFor(consumed, available, this.currentSettings.thresholds);
    return { scope: 'ENVIRONMENT', available, consumed, remaining, overage: u.overage, stage, reason: null };
  }

  /** Balance of the shared pool (environments without an allocation). */
  poolBalance(): ScopeBalance {
    const available = this.unassignedPool();
    const consumed = this.poolConsumed() + this.holdBook.from('UNASSIGNED', (h) => !this.hasAllocation(h.environmentId));
    let overage = 0;
    for (const [env, u] of this.usage) if (!this.hasAllocation(env)) overage += u.overage;
    const stage = stageFor(consumed, available, this.currentSettings.thresholds);
    return {
      scope: 'POOL',
      available,
      consumed,
      remaining: this.poolRemaining(),
      overage,
      stage,
      reason: available === 0 ? 'NO_CAPACITY' : null,
    };
  }

  /** Changes after admin actions (stages follow at once, as they are computed). */
  setCapacity(capacity: number): void {
    this.currentCapacity = capacity;
  }

  /** 0 (or less) removes the allocation, as on the wire. */
  setAllocation(environmentId: string, credits: number): void {
    if (credits > 0) this.allocationByEnv.set(environmentId, credits);
    else this.allocationByEnv.delete(environmentId);
  }

  setPoolFallback(environmentId: string, enabled: boolean): void {
    if (enabled) this.fallbackEnvs.add(environmentId);
    else this.fallbackEnvs.delete(environmentId);
  }

  setSettings(settings: TenantSettings): void {
    this.currentSettings = settings;
  }

  allocations(): ReadonlyMap<string, number> {
    return new Map(this.allocationByEnv);
  }

  setLicensingModel(model: LicensingModel): void {
    this.currentModel = model;
  }

  setCopilot(setup: CopilotSetup): void {
    this.copilotSetup = setup;
  }

  /** Copilot balance of environmentId (DUAL), holds counted as consumed. */
  copilotBalanceOf(environmentId: string): CopilotBalance {
    const u = this.usage.get(environmentId)?.copilot ?? emptyCopilotUsage();
    const consumed = u.allocation + u.unassigned + u.payg + u.overage + this.holdBook.inCurrency(environmentId, 'COPILOT');
    let remaining: number | null = 0;
    for (const [, left] of this.copilotSources(environmentId)) {
      if (left === Number.POSITIVE_INFINITY) remaining = null;
      else if (remaining !== null) remaining += Math.max(0, left);
    }
    return { consumed, remaining, available: remaining === null ? null : consumed - u.overage + remaining, overage: u.overage };
  }

  /** The source's cap in environmentId, if an admin set one. */
  sourceLimitOf(environmentId: string, sourceId: string): SourceLimit | undefined {
    return this.limits.get(environmentId)?.get(sourceId);
  }

  /** All caps: environment id -> source id -> cap. */
  sourceLimits(): ReadonlyMap<string, ReadonlyMap<string, SourceLimit>> {
    return this.limits;
  }

  /** null (or 0 credits) removes the cap. */
  setSourceLimit(environmentId: string, sourceId: string, limit: SourceLimit | null): void {
    const m = this.limits.get(environmentId) ?? new Map<string, SourceLimit>();
    if (limit === null || limit.credits <= 0) m.delete(sourceId);
    else m.set(sourceId, limit);
    if (m.size === 0) this.limits.delete(environmentId);
    else this.limits.set(environmentId, m);
  }

  /** What a source consumed this period in a currency (whole credits, or thousandths for COPILOT), holds included. */
  sourceConsumed(environmentId: string, sourceId: string, currency: Currency): number {
    const su = this.usage.get(environmentId)?.sources?.get(sourceId);
    const consumed = su === undefined ? 0 : currency === 'COPILOT' ? su.copilot : su.credits;
    return consumed + this.holdBook.inCurrency(environmentId, currency, sourceId);
  }

  /** Open reservations (expired ones until expireHolds removes them). */
  holds(): ReadonlyMap<string, Hold> {
    return this.holdBook.all();
  }

  /** AI Builder credits held by open reservations of one environment (they count as consumed). */
  heldCredits(environmentId: string): number {
    return this.holdBook.inCurrency(environmentId, 'AI_BUILDER');
  }

  addHold(hold: Hold): void {
    this.holdBook.add(hold);
  }

  /** Removes a hold (commit or release); false if it was not open. */
  removeHold(reservationId: string): boolean {
    return this.holdBook.remove(reservationId);
  }

  /** Drops holds whose time to live ran out at nowMs (they release themselves); returns them. */
  expireHolds(nowMs: number): Hold[] {
    return this.holdBook.expire(nowMs);
  }

  /**
   * What an environment has used of its allocation: its allocation draws plus its overage. Overage counts
   * because raising the allocation covers work already done: 12,600 consumed against a new 20,000 leaves
   * 7,400, not 20,000 - 10,000 drawn before the raise.
   */
  private usedOfAllocation(environmentId: string): number {
    const u = this.usage.get(environmentId);
    const held = this.holdBook.from('ALLOCATION', (h) => h.environmentId === environmentId);
    return (u === undefined ? 0 : u.allocation + u.overage) + held;
  }

  private allocatedTotal(): number {
    let total = 0;
    for (const credits of this.allocationByEnv.values()) total += credits;
    return total;
  }
}
