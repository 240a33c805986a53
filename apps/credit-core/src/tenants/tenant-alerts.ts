import { environmentStageOf, formatCopilotCredits, type Stage, type TenantPeriodState, type TrialState } from '@allot/domain';
import type { TenantMemory } from './tenant-memory';
import { sourceLimitAlertsOf } from './source-limit-alerts';
import type { TenantActorDeps, TenantConfig } from './tenant-types';

/**
 * Stage-change and trial-exhausted alerts of one tenant, with their own retry. A stage counts as alerted only once
 * its alert is stored (causes are unique, so raising one again is harmless), and the last alerted stages are read
 * back from the outbox when a period loads: a crash or a failed raise never makes a stage change forgotten.
 */
export class TenantAlerts {
  /** Last stage alerted per period|environment (absent: NORMAL). */
  private readonly alertedStages = new Map<string, Stage>();
  /** Periods whose stages may differ from the last alerted ones: checked after the current task. */
  private readonly periods = new Set<string>();
  /** Trial-exhausted alerts not stored yet (user|term -> trial). */
  private readonly trials = new Map<string, TrialState>();
  /** Source-limit alert causes raised (or found raised) by this actor: checked without a database round trip. */
  private readonly sourceAlerts = new Set<string>();
  /** Delay of the next retry after a failed raise (0: none scheduled). */
  private retryMs = 0;

  constructor(
    private readonly tenantId: string,
    private readonly deps: TenantActorDeps,
    private readonly memory: TenantMemory,
    /** Runs a no-op through the tenant's queue (which raises what is pending after it). */
    private readonly poke: () => Promise<unknown>,
  ) {}

  get pending(): boolean {
    return this.periods.size > 0 || this.trials.size > 0;
  }

  /** Sets the last alerted stage of every environment in period from the STAGE_CHANGED alerts stored for it. */
  async periodLoaded(period: string): Promise<void> {
    const stored = await this.deps.c.alerts
      .find({ tenantId: this.tenantId, kind: 'STAGE_CHANGED', period }, { projection: { environmentId: 1, stage: 1, cursor: 1 } })
      .toArray();
    for (const key of [...this.alertedStages.keys()]) if (key.startsWith(`${period}|`)) this.alertedStages.delete(key);
    for (const a of stored.sort((x, y) => x.cursor - y.cursor)) {
      if (a.stage !== null) this.alertedStages.set(`${period}|${a.environmentId}`, a.stage);
    }
    // A change whose alert was lost (a crash after the clients were answered, a failed raise) is raised next.
    this.periods.add(period);
  }

  /** Raises stage-change alerts (up and down) for the given periods, and trial-exhausted alerts. */
  raise(config: TenantConfig, exhaustedTrials: readonly TrialState[], periods: readonly string[]): Promise<number> {
    for (const trial of exhaustedTrials) this.trials.set(`${trial.userId}|${trial.extensions}`, trial);
    for (const period of periods) this.periods.add(period);
    return this.raisePending(config);
  }

  /** Raises what is pending (inside the queue, after a task); nothing when the tenant is not loaded. */
  async flushPending(): Promise<void> {
    if (this.memory.config === null || !this.pending) return;
    await this.raisePending(this.memory.config);
  }

  /** Returns how many environments' alerted stage changed; on failure what is left stays pending. */
  private async raisePending(config: TenantConfig): Promise<number> {
    const now = new Date(this.deps.clock.now());
    let changed = 0;
    try {
      for (const [key, trial] of [...this.trials]) {
        await this.deps.outbox.raise(
          {
            tenantId: this.tenantId,
            kind: 'TRIAL_EXHAUSTED',
            cause: `trial-exhausted:${trial.userId}:${trial.extensions}`,
            userId: trial.userId,
            consumed: trial.consumed,
            available: trial.credits,
            expiresAt: new Date(trial.expiresAtMs),
            title: `Trial of ${trial.userId} used up`,
            message: `${trial.userId} used all ${trial.credits} trial credits; runs drawing on the trial are refused`,
          },
          now,
        );
        this.trials.delete(key);
      }
      for (const period of [...this.periods]) {
        const state = this.memory.periods.get(period)?.state;
        // A period no longer in memory is checked against the outbox again when it loads.
        if (state !== undefined) {
          changed += await this.raiseStageChanges(config, state, now);
          await this.raiseSourceLimits(config, state, now);
        }
        this.periods.delete(period);
      }
      this.retryMs = 0;
    } catch (e) {
      this.deps.logger.warn('alert raise failed; will retry', { tenant: this.tenantId, error: (e as Error).message });
      this.scheduleRetry();
    }
    return changed;
  }

  private async raiseStageChanges(config: TenantConfig, state: TenantPeriodState, now: Date): Promise<number> {
    const period = state.period;
    let changed = 0;
    for (const env of config.envs.values()) {
      const id = env.environmentId;
      // An environment nobody used and that has no allocation of its own has nothing worth alerting about.
      if (!state.hasAllocation(id) && state.usageOf(id).events === 0) continue;
      const key = `${period}|${id}`;
      const b = state.balanceOf(id);
      // Under DUAL, both currencies together: the stage CheckAccess and GetBalance show (no grace stage).
      const stage = environmentStageOf(state, id, '', now.getTime());
      const previous = this.alertedStages.get(key) ?? 'NORMAL';
      if (stage === previous) continue;
      const scope = b.scope === 'POOL' ? 'the unassigned pool' : 'its allocation';
      const cp = state.licensingModel === 'DUAL' ? state.copilotBalanceOf(id) : null;
      await this.deps.outbox.raise(
        {
          tenantId: this.tenantId,
          kind: 'STAGE_CHANGED',
          cause: `stage:${id}:${period}:${stage}`,
          environmentId: id,
          environmentDisplayName: env.displayName,
          period,
          stage,
          previousStage: previous,
          consumed: b.consumed,
          available: b.available,
          // DUAL: the Copilot side too (docs/licensing.md); CLASSIC alerts stay as in v1.
          ...(cp === null ? {} : { copilot: { consumed: cp.consumed, available: cp.available } }),
          title: `${env.displayName} is now ${stage} (was ${previous})`,
          message:
            `${id} used ${b.consumed} of ${b.available} credits of ${scope} in ${period}` +
            (cp === null ? '' : ` and ${formatCopilotCredits(cp.consumed)} Copilot Credits (${cp.remaining === null ? 'pay-as-you-go, no limit' : `${formatCopilotCredits(cp.remaining)} left`})`),
        },
        now,
      );
      this.alertedStages.set(key, stage);
      changed += 1;
    }
    return changed;
  }

  /** Raises the source-limit alerts the period calls for (once per cause; see source-limit-alerts.ts). */
  private async raiseSourceLimits(config: TenantConfig, state: TenantPeriodState, now: Date): Promise<void> {
    for (const alert of sourceLimitAlertsOf(this.tenantId, config, state)) {
      if (this.sourceAlerts.has(alert.cause)) continue;
      await this.deps.outbox.raise(alert, now);
      this.sourceAlerts.add(alert.cause);
    }
  }

  /** Retries pending alerts through the queue after a growing delay (1 s to 30 s) when nothing else runs. */
  private scheduleRetry(): void {
    if (this.retryMs > 0) return;
    this.retryMs = 1_000;
    const retry = (): void => {
      this.poke().then(
        () => {
          if (!this.pending) {
            this.retryMs = 0;
            return;
          }
          this.retryMs = Math.min(this.retryMs * 2, 30_000);
          setTimeout(retry, this.retryMs).unref();
        },
        () => {
          this.retryMs = 0;
        },
      );
    };
    setTimeout(retry, this.retryMs).unref();
  }
}
