import { UnavailableError } from '../shared/core-error';
import type { ConsumptionEvent, RecordOutcome } from './tenant-types';

export interface RecordTask {
  readonly events: readonly ConsumptionEvent[];
  resolve(r: RecordOutcome[]): void;
  reject(e: unknown): void;
}

type Task =
  | ({ kind: 'record' } & RecordTask)
  | { kind: 'exclusive'; run: () => Promise<unknown>; resolve: (r: unknown) => void; reject: (e: unknown) => void }
  | { kind: 'flush' };

/** What the queue runs, one at a time. Each may throw; the queue always goes on with the next task. */
export interface QueueHandlers {
  /** Consecutive record tasks, committed as one group (up to MAX_GROUP_EVENTS events). */
  group(tasks: readonly RecordTask[]): Promise<void>;
  /** Before an exclusive task runs (projections written, so it sees them in the database). */
  beforeExclusive(): Promise<void>;
  flush(): Promise<void>;
  /** After every task (pending alerts). */
  after(): Promise<void>;
  /**
   * A task did not finish in time (a database command that never settles): the queue stops for good, its waiting
   * tasks are refused, and the owner replaces it (see TenantActor).
   */
  stuck(): void;
}

/** Longest time one group or projection write may take, and one exclusive task (Reconcile's last step included). */
const GROUP_TIMEOUT_MS = 20_000;
const EXCLUSIVE_TIMEOUT_MS = 60_000;

class TaskTimeout extends UnavailableError {}

/** p, or a TaskTimeout after ms (p goes on in the background; its result is ignored). */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TaskTimeout(`the database did not answer within ${ms / 1000} s; retry`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

const MAX_GROUP_EVENTS = 5_000;

/**
 * The tenant's serialized queue. Record tasks that wait together form one group; exclusive tasks run alone; a
 * failing task is answered with its error and never stops the loop, so no queue stays stuck.
 */
export class TaskQueue {
  private readonly tasks: Task[] = [];
  private running = false;
  /** Set when a task timed out: the queue never runs again. */
  private dead = false;

  constructor(
    private readonly handlers: QueueHandlers,
    private readonly commitDelayMs: number,
  ) {}

  get idle(): boolean {
    return !this.running && this.tasks.length === 0;
  }

  record(events: readonly ConsumptionEvent[]): Promise<RecordOutcome[]> {
    return new Promise((resolve, reject) => {
      this.tasks.push({ kind: 'record', events, resolve, reject });
      this.kick();
    });
  }

  exclusive<T>(run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.tasks.push({ kind: 'exclusive', run, resolve: resolve as (r: unknown) => void, reject });
      this.kick();
    });
  }

  flush(): void {
    this.tasks.push({ kind: 'flush' });
    this.kick();
  }

  /** Resolves when everything queued so far is done, or at the deadline (then false). */
  async drain(deadlineMs: number): Promise<boolean> {
    while (!this.idle) {
      if (Date.now() > deadlineMs) return false;
      await new Promise((r) => setTimeout(r, 5));
    }
    return true;
  }

  /** Refuses every waiting task (shutdown after the deadline). */
  failWaiting(error: Error): void {
    for (const t of this.tasks.splice(0)) if (t.kind !== 'flush') t.reject(error);
  }

  private kick(): void {
    if (this.dead) {
      this.failWaiting(new UnavailableError('the tenant is being reloaded; retry'));
      return;
    }
    if (this.running) return;
    this.running = true;
    // With no delay the loop starts on the next turn; requests arriving while a group is being written form the
    // next group, so grouping needs no waiting.
    if (this.commitDelayMs === 0) setImmediate(() => void this.loop());
    else setTimeout(() => void this.loop(), this.commitDelayMs);
  }

  private async loop(): Promise<void> {
    try {
      while (this.tasks.length > 0) {
        const head = this.tasks[0];
        if (head === undefined) break;
        if (head.kind === 'flush') {
          this.tasks.shift();
          const r = await within(this.handlers.flush(), GROUP_TIMEOUT_MS).catch((e: unknown) => e);
          if (r instanceof TaskTimeout) return this.die(r);
          continue;
        }
        if (head.kind === 'exclusive') {
          this.tasks.shift();
          try {
            await within(this.handlers.beforeExclusive(), GROUP_TIMEOUT_MS);
            head.resolve(await within(head.run(), EXCLUSIVE_TIMEOUT_MS));
          } catch (e) {
            head.reject(e);
            if (e instanceof TaskTimeout) return this.die(e);
          }
          await this.handlers.after().catch(() => undefined);
          continue;
        }
        const group: RecordTask[] = [];
        let count = 0;
        while (this.tasks[0]?.kind === 'record' && count < MAX_GROUP_EVENTS) {
          const t = this.tasks.shift() as RecordTask;
          group.push(t);
          count += t.events.length;
        }
        try {
          await within(this.handlers.group(group), GROUP_TIMEOUT_MS);
        } catch (e) {
          for (const t of group) t.reject(e);
          if (e instanceof TaskTimeout) return this.die(e);
        }
        await this.handlers.after().catch(() => undefined);
      }
    } finally {
      this.running = false;
      if (this.tasks.length > 0) this.kick();
    }
  }

  private die(e: Error): void {
    this.dead = true;
    this.failWaiting(e);
    this.handlers.stuck();
  }
}
