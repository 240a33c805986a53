import { randomUUID } from 'node:crypto';
import { QueueEvents, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createCoreClient, type CoreClient } from '@allot/grpc-client';
import { startBoardServer, type BoardServer } from './board.server';
import { systemClock, type Clock } from './clock';
import type { SchedulerConfig } from './config';
import { callCore } from './core-call';
import type { JobContext } from './job-context';
import { PER_TENANT_KINDS, queueOf, type JobKind, type JobPayload, type QueueName } from './job-kinds';
import { createLogger, type Logger } from './logger';
import { closeQueues, createQueues, type Queues } from './queues';
import { Schedules } from './schedules';
import { createWorkers } from './workers';

export interface SchedulerAppOptions {
  readonly config: SchedulerConfig;
  /** Where "now" comes from. @defaultValue the machine's clock */
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Serve Bull Board on config.boardPort. @defaultValue true */
  readonly board?: boolean;
}

/** One job run by hand (`--once`, tests) and how it ended. */
export interface JobOutcome {
  readonly kind: JobKind;
  readonly jobId: string;
  readonly tenantId?: string;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: string;
}

/**
 * The scheduler: BullMQ queues, one worker per queue, the job schedulers, the catch-up on start and after
 * every Redis reconnect, and the Bull Board page. Owns no data: every job is a call to the credit core.
 */
export class SchedulerApp {
  readonly queues: Queues;
  readonly schedules: Schedules;
  readonly core: CoreClient;
  private readonly redis: Redis;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private workers: Worker[] = [];
  private queueEvents = new Map<QueueName, QueueEvents>();
  private board: BoardServer | undefined;
  private readyCount = 0;
  private redeclared = 0;
  private readonly redeclareListeners = new Set<(count: number) => void>();
  private stopping = false;
  private redisDown = false;
  private serving = false;
  private redeclaring = false;

  constructor(private readonly options: SchedulerAppOptions) {
    const { config } = options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? createLogger();
    // One shared connection for the queues; workers and queue events open their own blocking ones.
    // maxRetriesPerRequest null: commands wait for a reconnect instead of failing while Redis is away.
    this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    this.redis.on('error', (e: Error) => this.onConnectionError('redis', e));
    this.redis.on('ready', () => this.onRedisReady());
    this.queues = createQueues(this.redis, config.queuePrefix, config.tuning);
    for (const [name, queue] of Object.entries(this.queues)) queue.on('error', (e: Error) => this.onConnectionError(`${name} queue`, e));
    this.schedules = new Schedules(this.queues);
    this.core = createCoreClient({ address: config.coreAddr, apiKey: config.coreAdminKey });
  }

  /** The BullMQ key prefix of every queue. */
  get queuePrefix(): string {
    return this.options.config.queuePrefix;
  }

  /** http://host:port/ of Bull Board, once started. */
  get boardUrl(): string | undefined {
    return this.board?.url;
  }

  /** How many times the schedulers were re-declared after Redis came back. */
  get redeclarations(): number {
    return this.redeclared;
  }

  onRedeclared(listener: (count: number) => void): () => void {
    this.redeclareListeners.add(listener);
    return () => this.redeclareListeners.delete(listener);
  }

  private get context(): JobContext {
    return { core: this.core, clock: this.clock, logger: this.logger, callTimeoutMs: this.options.config.tuning.callTimeoutMs };
  }

  private async connect(): Promise<void> {
    if (this.redis.status === 'wait') await this.redis.connect();
  }

  /** Starts workers only (no schedulers, no catch-up): what `--once` and tests that drive jobs by hand need. */
  async startWorkers(only?: readonly QueueName[]): Promise<void> {
    await this.connect();
    const { config } = this.options;
    this.workers.push(
      ...createWorkers(this.context, this.schedules, {
        connection: this.redis,
        prefix: config.queuePrefix,
        tuning: config.tuning,
        only,
        onConnectionError: (source, e) => this.onConnectionError(source, e),
      }),
    );
  }

  /** Runs as a service: workers, global schedulers, a catch-up job at once, and the board page. */
  async start(): Promise<void> {
    await this.startWorkers();
    this.serving = true;
    await this.declare('start');
    if (this.options.board ?? true) {
      this.board = await startBoardServer(this.queues, this.options.config.boardHost, this.options.config.boardPort);
      this.logger.info(`Bull Board: ${this.board.url}`);
    }
  }

  /**
   * Global schedulers plus an immediate catch-up job, which lists tenants and trials, declares their
   * schedulers and delayed jobs, and queues what fell due. A job, so it is retried while the core is down.
   */
  private async declare(reason: 'start' | 'reconnect'): Promise<void> {
    await this.schedules.declareGlobal();
    await this.queues['tenant-sync'].add('catch-up', {} satisfies JobPayload, { jobId: `catch-up.${reason}.${Date.now()}` });
    this.logger.info('schedulers declared, catch-up queued', { reason });
  }

  /** While Redis is away every client reports every retry; one line per outage is enough. */
  private onConnectionError(source: string, error: Error): void {
    if (this.redisDown || this.stopping) return;
    this.redisDown = true;
    this.logger.warn('redis unreachable, reconnecting', { source, error: error.message });
  }

  private onRedisReady(): void {
    this.redisDown = false;
    this.readyCount += 1;
    // Only a running service owns the schedules (not `--once`); one re-declaration at a time is enough.
    if (this.readyCount === 1 || this.stopping || !this.serving || this.redeclaring) return;
    this.redeclaring = true;
    // A Redis that comes back may be a new, empty one (no persistence): everything queued is gone, so
    // declare the schedulers again and catch up (every job is idempotent in the core).
    this.logger.warn('redis reconnected: re-declaring schedulers');
    this.declare('reconnect').then(
      () => {
        this.redeclared += 1;
        for (const listener of this.redeclareListeners) listener(this.redeclared);
      },
      (e: Error) => this.logger.error('re-declaring after reconnect failed', { error: e.message }),
    ).finally(() => {
      this.redeclaring = false;
    });
  }

  private async events(queue: QueueName): Promise<QueueEvents> {
    let qe = this.queueEvents.get(queue);
    if (!qe) {
      qe = new QueueEvents(queue, { connection: this.redis, prefix: this.options.config.queuePrefix });
      qe.on('error', (e: Error) => this.onConnectionError(`${queue} events`, e));
      this.queueEvents.set(queue, qe);
      await qe.waitUntilReady();
    }
    return qe;
  }

  /** Adds one job of a kind and waits until it completes or fails for good. */
  async runJob(kind: JobKind, payload: JobPayload = {}, timeoutMs = 120_000): Promise<JobOutcome> {
    await this.connect();
    const queueName = queueOf(kind);
    const events = await this.events(queueName);
    const job = await this.queues[queueName].add(kind, payload, { jobId: `manual.${kind}.${randomUUID()}` });
    const jobId = job.id ?? '';
    try {
      const result = await job.waitUntilFinished(events, timeoutMs);
      return { kind, jobId, tenantId: payload.tenantId, ok: true, result };
    } catch (e) {
      return { kind, jobId, tenantId: payload.tenantId, ok: false, error: (e as Error).message };
    }
  }

  /**
   * `--once`: serves only the queue of that kind, runs the kind once (for every tenant when it is a
   * per-tenant kind and no tenant is given), and reports each outcome.
   */
  async runOnce(kind: JobKind, payload: JobPayload): Promise<JobOutcome[]> {
    await this.startWorkers([queueOf(kind)]);
    if (PER_TENANT_KINDS.includes(kind) && !payload.tenantId) {
      const { tenants } = await callCore(() => this.core.admin.listTenants({}, { timeoutMs: this.options.config.tuning.callTimeoutMs }));
      return Promise.all(tenants.map((t) => this.runJob(kind, { ...payload, tenantId: t.tenantId })));
    }
    return [await this.runJob(kind, payload)];
  }

  /** Graceful stop: no new jobs, running ones finish (worker.close waits for them), then disconnect. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.board?.close();
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queueEvents.values()].map((qe) => qe.close()));
    await closeQueues(this.queues);
    this.redis.disconnect();
    this.core.close();
  }
}
