import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, ChannelBinding } from '@allot/contracts';
import type { CoreClient } from '@allot/grpc-client';
import { AlertDeliveryService } from './alert-delivery.service';
import type { AlertPoster, PostFailure } from './alert-poster';

/** In-memory stand-in for the core's AlertService (the e2e tests use the real one). */
class MemoryAlerts {
  readonly alerts: Alert[] = [];
  readonly cursors = new Map<string, number>();
  bindings: ChannelBinding[] = [];
  private readonly streams = new Set<{ emitter: EventEmitter; after: number; tenantId: string }>();

  raise(tenantId: string, n = 1): void {
    for (let i = 0; i < n; i++) {
      const alert = { cursor: this.alerts.length + 1, alertId: `a${this.alerts.length + 1}`, tenantId, createdAt: new Date() } as Alert;
      this.alerts.push(alert);
      for (const s of this.streams) if (s.tenantId === tenantId) setImmediate(() => s.emitter.emit('data', { alert }));
    }
  }

  /** Drops every open stream, as a core restart would. */
  dropStreams(): void {
    for (const s of this.streams) s.emitter.emit('error', new Error('UNAVAILABLE'));
    this.streams.clear();
  }

  client(): CoreClient['alerts'] {
    const api = {
      listChannelBindings: async ({ tenantId }: { tenantId: string }) => ({ bindings: this.bindings.filter((b) => b.tenantId === tenantId) }),
      getAlertCursor: async ({ subscriber }: { subscriber: string }) => ({ cursor: this.cursors.get(subscriber) ?? 0 }),
      ackAlerts: async ({ subscriber, cursor }: { subscriber: string; cursor: number }) => {
        this.cursors.set(subscriber, Math.max(cursor, this.cursors.get(subscriber) ?? 0));
        return { cursor };
      },
      listAlerts: async ({ tenantId, afterCursor, limit }: { tenantId: string; afterCursor: number; limit: number }) => ({
        alerts: this.alerts.filter((a) => a.tenantId === tenantId && a.cursor > afterCursor).slice(0, limit),
      }),
      watchAlerts: ({ afterCursor, tenantId }: { afterCursor: number; tenantId: string }) => {
        const emitter = new EventEmitter();
        const entry = { emitter, after: afterCursor, tenantId };
        this.streams.add(entry);
        const backlog = this.alerts.filter((a) => a.tenantId === tenantId && a.cursor > afterCursor);
        setImmediate(() => {
          for (const alert of backlog) emitter.emit('data', { alert });
        });
        return Object.assign(emitter, {
          cancel: () => {
            this.streams.delete(entry);
            setImmediate(() => emitter.emit('error', new Error('CANCELLED')));
          },
        });
      },
    };
    return api as unknown as CoreClient['alerts'];
  }
}

/** Records posts; can fail the next posts or hang them (a crash mid-post). */
class RecordingPoster implements AlertPoster {
  readonly platform = 'slack' as const;
  readonly posts: Array<{ channel: string; cursor: number }> = [];
  failNext = 0;
  rateLimitNextSeconds: number | undefined;
  checkHistory = true;

  async post(binding: ChannelBinding, alert: Alert): Promise<void> {
    if (this.rateLimitNextSeconds !== undefined) {
      const s = this.rateLimitNextSeconds;
      this.rateLimitNextSeconds = undefined;
      throw Object.assign(new Error('rate limited'), { retryAfter: s });
    }
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('boom');
    }
    this.posts.push({ channel: binding.channelId, cursor: alert.cursor });
    await new Promise((r) => setTimeout(r, 2));
  }

  async wasPosted(binding: ChannelBinding, alert: Alert): Promise<boolean> {
    return this.checkHistory && this.posts.some((p) => p.channel === binding.channelId && p.cursor === alert.cursor);
  }

  classify(error: unknown): PostFailure {
    const retryAfter = (error as { retryAfter?: number }).retryAfter;
    return retryAfter !== undefined ? { kind: 'retry', afterMs: retryAfter * 1000 } : { kind: 'retry' };
  }
}

const binding = (tenantId: string, channelId: string): ChannelBinding => ({
  tenantId,
  platform: 'slack',
  channelId,
  reference: '',
  boundBy: 'U1',
  boundAt: new Date(0),
});

const until = async (check: () => boolean, what: string): Promise<void> => {
  const end = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('AlertDeliveryService', () => {
  const running: AlertDeliveryService[] = [];
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop(0);
  });
  const start = async (core: MemoryAlerts, poster: AlertPoster, tenantIds = ['acme']): Promise<AlertDeliveryService> => {
    const s = new AlertDeliveryService({
      core: { alerts: core.client() },
      conversation: { renderAlert: (a) => ({ title: a.alertId, text: a.alertId, tone: 'info', sections: [] }) },
      posters: [poster],
      tenantIds,
      refreshMs: 60_000,
      backoff: { baseMs: 5, maxMs: 20 },
    });
    running.push(s);
    await s.start();
    return s;
  };

  it('posts each alert to every bound channel of its tenant, in cursor order, and acks each', async () => {
    const core = new MemoryAlerts();
    core.bindings = [binding('acme', 'C1'), binding('acme', 'C2'), binding('other', 'C3')];
    const poster = new RecordingPoster();
    await start(core, poster);
    core.raise('acme', 3);
    core.raise('other', 1);
    await until(() => poster.posts.length === 6, 'six posts');
    await new Promise((r) => setTimeout(r, 30));
    expect(poster.posts.filter((p) => p.channel === 'C1').map((p) => p.cursor)).toEqual([1, 2, 3]);
    expect(poster.posts.filter((p) => p.channel === 'C2').map((p) => p.cursor)).toEqual([1, 2, 3]);
    expect(poster.posts.some((p) => p.channel === 'C3')).toBe(false);
    expect(core.cursors.get('chatbot:slack:C1')).toBe(3);
  });

  it('resumes after a stop from the stored cursors: 50 alerts, stopped midway, none lost or repeated', async () => {
    const core = new MemoryAlerts();
    core.bindings = [binding('acme', 'C1')];
    const poster = new RecordingPoster();
    const first = await start(core, poster);
    core.raise('acme', 50);
    await until(() => poster.posts.length >= 20, '20 posts');
    await first.stop(0); // no grace: like a crash
    await new Promise((r) => setTimeout(r, 20));
    const before = poster.posts.length;
    expect(before).toBeLessThan(50);
    await start(core, poster);
    await until(() => poster.posts.length >= 50, 'all 50');
    await new Promise((r) => setTimeout(r, 50));
    expect(poster.posts.map((p) => p.cursor)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('without a readable history, a stop between post and ack repeats at most that one alert', async () => {
    const core = new MemoryAlerts();
    core.bindings = [binding('acme', 'C1')];
    const poster = new RecordingPoster();
    poster.checkHistory = false;
    const first = await start(core, poster);
    core.raise('acme', 50);
    await until(() => poster.posts.length >= 20, '20 posts');
    await first.stop(0); // no grace: like a crash
    await start(core, poster);
    await until(() => new Set(poster.posts.map((p) => p.cursor)).size === 50, 'all 50');
    await new Promise((r) => setTimeout(r, 50));
    expect(poster.posts.length - 50).toBeLessThanOrEqual(1);
  });

  it('does not repeat an alert posted right before a crash (no ack) when the channel history shows it', async () => {
    const core = new MemoryAlerts();
    core.bindings = [binding('acme', 'C1')];
    const poster = new RecordingPoster();
    core.raise('acme', 2);
    // Alert 1 reached the channel but its ack never happened.
    poster.posts.push({ channel: 'C1', cursor: 1 });
    const s = await start(core, poster);
    await until(() => poster.posts.length === 2, 'alert 2');
    await until(() => core.cursors.get('chatbot:slack:C1') === 2, 'ack 2');
    expect(poster.posts.map((p) => p.cursor)).toEqual([1, 2]);
    expect(s.stats.skippedAlreadyPosted).toBe(1);
  });

  it('retries failed posts with backoff and reconnects a dropped stream', async () => {
    const core = new MemoryAlerts();
    core.bindings = [binding('acme', 'C1')];
    const poster = new RecordingPoster();
    poster.failNext = 3;
    const s = await start(core, poster);
    core.raise('acme', 1);
    await until(() => poster.posts.length === 1, 'post after retries');
    expect(s.stats.retries).toBe(3);
    core.dropStreams();
    core.raise('acme', 1); // raised while no stream is open
    await until(() => poster.posts.length === 2, 'alert after reconnect');
    expect(s.stats.streamReconnects).toBeGreaterThanOrEqual(1);
    expect(poster.posts.map((p) => p.cursor)).toEqual([1, 2]);
  });

  it('waits the Retry-After the platform asked for', async () => {
    const core = new MemoryAlerts();
    core.bindings = [binding('acme', 'C1')];
    const poster = new RecordingPoster();
    poster.rateLimitNextSeconds = 1;
    await start(core, poster);
    const t0 = Date.now();
    core.raise('acme', 1);
    await until(() => poster.posts.length === 1, 'post after 429');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
  });

  it('starts a channel bound through the bot at the newest alert, so old alerts are not replayed', async () => {
    const core = new MemoryAlerts();
    core.raise('acme', 5);
    const poster = new RecordingPoster();
    const s = await start(core, poster);
    core.bindings = [binding('acme', 'C9')];
    await s.onBound(binding('acme', 'C9'), false);
    core.raise('acme', 1);
    await until(() => poster.posts.length === 1, 'the new alert');
    await new Promise((r) => setTimeout(r, 30));
    expect(poster.posts).toEqual([{ channel: 'C9', cursor: 6 }]);
  });
});
