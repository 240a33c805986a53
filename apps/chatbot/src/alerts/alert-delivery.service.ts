import type { Alert, ChannelBinding } from '@allot/contracts';
import type { CoreClient } from '@allot/grpc-client';
import type { Conversation } from '../conversation/conversation.types';
import { channelSubscriber, type AlertPoster } from './alert-poster';
import { backoffDelay, sleep, type BackoffOptions } from './backoff';

export interface AlertDeliveryOptions {
  readonly core: Pick<CoreClient, 'alerts'>;
  readonly conversation: Pick<Conversation, 'renderAlert'>;
  readonly posters: readonly AlertPoster[];
  /** Credit tenants whose alerts this bot delivers. */
  readonly tenantIds: readonly string[];
  /** How often bindings are listed again (bindings made through this bot are picked up at once). @defaultValue 15000 */
  readonly refreshMs?: number;
  /** Backoff of failed posts and dropped streams. */
  readonly backoff?: BackoffOptions;
  readonly log?: (message: string) => void;
}

/** Counters for logs and tests. */
export interface DeliveryStats {
  posted: number;
  skippedAlreadyPosted: number;
  dropped: number;
  retries: number;
  streamReconnects: number;
}

const channelKey = (b: Pick<ChannelBinding, 'platform' | 'channelId'>): string => `${b.platform}:${b.channelId}`;

/**
 * Follows the core's alert outbox and posts each alert to every channel bound to its tenant, exactly once per
 * channel: each channel has a durable cursor in the core (subscriber `chatbot:<platform>:<channelId>`), alerts
 * are posted one at a time in cursor order and the cursor is acked after each successful post, so a restart
 * resumes right after the last acked alert. The one window left (posted, then crashed before the ack) is
 * narrowed by asking the platform whether the alert is already there before the first post after a start.
 */
export class AlertDeliveryService {
  readonly stats: DeliveryStats = { posted: 0, skippedAlreadyPosted: 0, dropped: 0, retries: 0, streamReconnects: 0 };
  private readonly feeds = new Map<string, TenantFeed>();
  private readonly abort = new AbortController();
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: AlertDeliveryOptions) {
    for (const tenantId of options.tenantIds) this.feeds.set(tenantId, new TenantFeed(tenantId, options, this.stats, this.abort.signal));
  }

  /** Loads bindings and cursors, then follows the stream. Failures to reach the core are retried in the background. */
  async start(): Promise<void> {
    await Promise.all([...this.feeds.values()].map((f) => f.refresh().catch((e: unknown) => this.log(`bindings of ${f.tenantId}: ${String(e)}`))));
    const every = this.options.refreshMs ?? 15_000;
    this.refreshTimer = setInterval(() => {
      for (const feed of this.feeds.values()) {
        feed.refresh().catch((e: unknown) => this.log(`bindings of ${feed.tenantId}: ${String(e)}`));
      }
    }, every);
    this.refreshTimer.unref();
  }

  /**
   * A channel was just bound through this bot. Its cursor starts at the tenant's newest alert, so it gets what
   * happens from now on (not the tenant's history), and it is followed immediately rather than at the next refresh.
   */
  async onBound(binding: ChannelBinding, alreadyBound: boolean): Promise<void> {
    const feed = this.feeds.get(binding.tenantId);
    if (!feed) return;
    if (!alreadyBound) await feed.startCursorAtHead(binding);
    await feed.refresh();
  }

  async onUnbound(tenantId: string): Promise<void> {
    await this.feeds.get(tenantId)?.refresh();
  }

  /**
   * Stops streams and workers. A graceful stop lets a post in flight finish and be acked (up to `graceMs`),
   * then abandons anything still running without its ack, exactly as if the process died there; the next
   * start checks the channel (Slack history) before posting that alert again.
   */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    const drains = [...this.feeds.values()].flatMap((feed) => feed.drainAndStop());
    if (graceMs > 0 && drains.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(drains), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }
    this.abort.abort();
    for (const feed of this.feeds.values()) feed.stop();
  }

  private log(message: string): void {
    this.options.log?.(`[alerts] ${message}`);
  }
}

/** One tenant: its stream of alerts and its bound channels. */
class TenantFeed {
  private readonly channels = new Map<string, ChannelWorker>();
  private stream: { cancel(): void } | undefined;
  /** Highest cursor received from the stream (the stream resumes after it). */
  private position = 0;
  private reconnectAttempt = 0;
  private refreshing: Promise<void> | undefined;

  constructor(
    readonly tenantId: string,
    private readonly options: AlertDeliveryOptions,
    private readonly stats: DeliveryStats,
    private readonly signal: AbortSignal,
  ) {}

  refresh(): Promise<void> {
    // One listing at a time; a caller arriving during a listing waits for a fresh one after it.
    const run = async (): Promise<void> => {
      const { bindings } = await this.options.core.alerts.listChannelBindings({ tenantId: this.tenantId });
      const seen = new Set<string>();
      for (const binding of bindings) {
        if (binding.tenantId !== this.tenantId) continue;
        const poster = this.options.posters.find((p) => p.platform === binding.platform);
        if (!poster) continue;
        const key = channelKey(binding);
        seen.add(key);
        const existing = this.channels.get(key);
        if (existing) {
          existing.binding = binding;
          continue;
        }
        const { cursor } = await this.options.core.alerts.getAlertCursor({ subscriber: channelSubscriber(binding.platform, binding.channelId) });
        if (this.signal.aborted) return;
        const worker = new ChannelWorker(binding, cursor, poster, this.options, this.stats, this.signal);
        this.channels.set(key, worker);
        this.log(`following ${key} from cursor ${cursor}`);
      }
      for (const [key, worker] of this.channels) {
        if (!seen.has(key)) {
          worker.stop();
          this.channels.delete(key);
          this.log(`no longer bound: ${key}`);
        }
      }
      this.ensureStream();
    };
    const next = (this.refreshing ?? Promise.resolve()).then(run);
    // The chain itself never rejects; the caller gets (and handles) this listing's own failure.
    this.refreshing = next.catch(() => undefined);
    return next;
  }

  /** Stores the tenant's newest alert cursor as a new channel's cursor (durable, so a restart keeps it). */
  async startCursorAtHead(binding: ChannelBinding): Promise<void> {
    let head = this.position;
    try {
      for (;;) {
        const { alerts } = await this.options.core.alerts.listAlerts({ tenantId: this.tenantId, afterCursor: head, limit: 500 });
        const last = alerts.at(-1);
        if (!last) break;
        head = Math.max(head, last.cursor);
        if (alerts.length < 500) break;
      }
    } catch (e) {
      // Without a listing the stream position is the best known head; alerts it has not seen yet will be posted.
      this.log(`listAlerts for ${this.tenantId}: ${String(e)}`);
    }
    if (head > 0) {
      await this.options.core.alerts.ackAlerts({ subscriber: channelSubscriber(binding.platform, binding.channelId), cursor: head });
    }
  }

  stop(): void {
    this.stream?.cancel();
    this.stream = undefined;
    for (const worker of this.channels.values()) worker.stop();
  }

  /** Stops taking alerts; returns the posts still finishing. */
  drainAndStop(): Array<Promise<void>> {
    this.stream?.cancel();
    this.stream = undefined;
    return [...this.channels.values()].map((w) => w.drain());
  }

  /** (Re)opens the stream from the lowest cursor any channel still needs. */
  private ensureStream(): void {
    if (this.signal.aborted) return;
    if (this.channels.size === 0) {
      this.stream?.cancel();
      this.stream = undefined;
      return;
    }
    const needed = Math.min(...[...this.channels.values()].map((w) => w.enqueuedUpTo));
    // Alerts up to `position` were already handed out; a channel that needs older ones makes the stream restart
    // from there (channels that have them already ignore the repeats by cursor).
    if (this.stream && needed >= this.position) return;
    this.stream?.cancel();
    this.open(needed);
  }

  private open(after: number): void {
    this.position = Math.max(this.position, after);
    const call = this.options.core.alerts.watchAlerts({ subscriber: `chatbot:tenant:${this.tenantId}`, afterCursor: after, tenantId: this.tenantId });
    const handle = { cancel: () => call.cancel() };
    this.stream = handle;
    let ended = false;
    const reopen = (why: string): void => {
      if (ended) return;
      ended = true;
      if (this.stream !== handle || this.signal.aborted) return;
      this.stream = undefined;
      const delay = backoffDelay(this.reconnectAttempt++, this.options.backoff);
      this.stats.streamReconnects += 1;
      this.log(`alert stream of ${this.tenantId} ${why}; reconnecting in ${delay} ms`);
      void sleep(delay, this.signal).then(() => {
        if (!this.signal.aborted && !this.stream) this.open(this.resumeFrom());
      });
    };
    call.on('data', (message: { alert?: Alert }) => {
      const alert = message.alert;
      if (!alert) return;
      this.reconnectAttempt = 0;
      this.position = Math.max(this.position, alert.cursor);
      for (const worker of this.channels.values()) worker.offer(alert);
    });
    call.on('error', (e: Error) => reopen(`failed (${e.message})`));
    call.on('end', () => reopen('ended'));
  }

  private resumeFrom(): number {
    const lowest = Math.min(...[...this.channels.values()].map((w) => w.enqueuedUpTo));
    return Number.isFinite(lowest) ? Math.min(lowest, this.position) : this.position;
  }

  private log(message: string): void {
    this.options.log?.(`[alerts] ${message}`);
  }
}

/** One bound channel: a queue of alerts posted one by one, each acked before the next. */
class ChannelWorker {
  /** Highest cursor queued or known delivered. */
  enqueuedUpTo: number;
  private readonly queue: Alert[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Finishing the post in flight (and its ack), taking no new one. */
  private draining = false;
  /** Check the channel's history before the next post (first post after start, or after an unclear failure). */
  private verifyNext = true;
  /** A channel with no stored cursor (bound elsewhere, never delivered to) only gets alerts from its binding on. */
  private readonly notBefore: Date | undefined;

  constructor(
    public binding: ChannelBinding,
    cursor: number,
    private readonly poster: AlertPoster,
    private readonly options: AlertDeliveryOptions,
    private readonly stats: DeliveryStats,
    private readonly signal: AbortSignal,
  ) {
    this.enqueuedUpTo = cursor;
    this.notBefore = cursor === 0 ? binding.boundAt : undefined;
  }

  offer(alert: Alert): void {
    if (this.stopped || alert.cursor <= this.enqueuedUpTo) return;
    this.enqueuedUpTo = alert.cursor;
    if (this.notBefore && alert.createdAt && alert.createdAt < this.notBefore) return;
    this.queue.push(alert);
    if (!this.running && !this.draining) this.running = this.run();
  }

  stop(): void {
    this.stopped = true;
  }

  drain(): Promise<void> {
    this.draining = true;
    return this.running ?? Promise.resolve();
  }

  private get subscriber(): string {
    return channelSubscriber(this.binding.platform, this.binding.channelId);
  }

  private async run(): Promise<void> {
    try {
      for (let alert = this.queue[0]; alert && !this.isStopped() && !this.draining; alert = this.queue[0]) {
        const delivered = await this.deliver(alert);
        if (!delivered || this.isStopped()) return;
        await this.ack(alert.cursor);
        this.queue.shift();
      }
    } finally {
      this.running = undefined;
    }
  }

  /** Posts until it works (or the channel can never take it). False only when stopped first. */
  private async deliver(alert: Alert): Promise<boolean> {
    const reply = this.options.conversation.renderAlert(alert);
    for (let attempt = 0; !this.isStopped(); attempt++) {
      try {
        if (this.verifyNext && (await this.poster.wasPosted(this.binding, alert))) {
          this.stats.skippedAlreadyPosted += 1;
          this.log(`alert ${alert.cursor} already in ${this.subscriber}; not posting it again`);
          this.verifyNext = false;
          return true;
        }
        if (this.isStopped()) return false;
        await this.poster.post(this.binding, alert, reply);
        if (this.isStopped()) return false; // died before the ack: the next start's history check covers it
        this.verifyNext = false;
        this.stats.posted += 1;
        return true;
      } catch (error) {
        if (this.isStopped()) return false;
        const failure = this.poster.classify(error);
        if (failure.kind === 'drop') {
          this.stats.dropped += 1;
          this.log(`alert ${alert.cursor} cannot be posted to ${this.subscriber} (${failure.reason}); skipping it`);
          return true;
        }
        // The request may have reached the platform before it failed: look before posting again.
        this.verifyNext = true;
        this.stats.retries += 1;
        const delay = failure.afterMs ?? backoffDelay(attempt, this.options.backoff);
        if (this.draining) return false; // shutting down: the next start retries it
        this.log(`posting alert ${alert.cursor} to ${this.subscriber} failed (${describe(error)}); retry in ${delay} ms`);
        await sleep(delay, this.signal);
      }
    }
    return false;
  }

  private async ack(cursor: number): Promise<void> {
    for (let attempt = 0; !this.isStopped(); attempt++) {
      try {
        await this.options.core.alerts.ackAlerts({ subscriber: this.subscriber, cursor });
        return;
      } catch (error) {
        // The alert is posted; keep the cursor in memory so this process never posts it again, and keep trying.
        this.log(`ack ${cursor} for ${this.subscriber} failed (${describe(error)})`);
        await sleep(backoffDelay(attempt, this.options.backoff), this.signal);
      }
    }
  }

  private isStopped(): boolean {
    return this.stopped || this.signal.aborted;
  }

  private log(message: string): void {
    this.options.log?.(`[alerts] ${message}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
