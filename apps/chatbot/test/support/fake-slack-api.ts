import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnFreePort, readBody, sendJson } from './http-server';

/** One recorded Web API call (form or JSON fields, with JSON-valued fields such as blocks decoded). */
export interface SlackApiCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly at: number;
  /** The HTTP status the fake answered with. */
  readonly status: number;
}

export interface PostedMessage {
  readonly channel: string;
  readonly ts: string;
  readonly text: string;
  readonly blocks: unknown;
  readonly metadata?: { event_type: string; event_payload: Record<string, unknown> };
  readonly thread_ts?: string;
}

/** A response_url post (slash command answers). */
export interface ResponseUrlPost {
  readonly id: string;
  readonly body: Record<string, unknown>;
}

const JSON_FIELDS = new Set(['blocks', 'metadata', 'view', 'attachments']);

/**
 * A local stand-in for Slack's Web API (https://slack.com/api/): auth.test, chat.postMessage, views.publish,
 * conversations.history, plus response_url endpoints under /response/:id. Records every call; can answer the
 * next calls of a method with HTTP 429 + Retry-After, with a 500, or hold the answer back for a while.
 */
export class FakeSlackApi {
  readonly calls: SlackApiCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  private readonly history = new Map<string, PostedMessage[]>();
  private readonly rateLimits = new Map<string, { count: number; retryAfterSeconds: number }>();
  private readonly failures = new Map<string, number>();
  private readonly delays = new Map<string, { count: number; ms: number }>();
  private seq = 0;
  private server: Awaited<ReturnType<typeof listenOnFreePort>> | undefined;

  constructor(readonly teamId = 'T0123') {}

  /** Base URL for `SLACK_API_URL` / `clientOptions.slackApiUrl`. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  get url(): string {
    if (!this.server) throw new Error('fake Slack API not started');
    return this.server.url;
  }

  async start(): Promise<this> {
    this.server = await listenOnFreePort((req, res) => void this.handle(req, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  /** The next `count` calls of `method` get HTTP 429 with `Retry-After: seconds`. */
  rateLimitNext(method: string, count: number, retryAfterSeconds: number): void {
    this.rateLimits.set(method, { count, retryAfterSeconds });
  }

  /** The next `count` calls of `method` get HTTP 500. */
  failNext(method: string, count: number): void {
    this.failures.set(method, count);
  }

  /** The next `count` calls of `method` are recorded (and take effect) at once but answered `ms` later. */
  delayNext(method: string, count: number, ms: number): void {
    this.delays.set(method, { count, ms });
  }

  /** Messages that were actually posted (status 200). */
  posted(channel?: string): PostedMessage[] {
    const all = [...this.history.values()].flat().sort((a, b) => Number(a.ts) - Number(b.ts));
    return channel ? all.filter((m) => m.channel === channel) : all;
  }

  callsOf(method: string): SlackApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responseUrl(id: string): string {
    return `${this.url}/response/${id}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const responseMatch = /^\/response\/([^/]+)$/.exec(url.pathname);
    if (responseMatch?.[1]) {
      this.responses.push({ id: responseMatch[1], body: JSON.parse(raw) as Record<string, unknown> });
      return sendJson(res, 200, { ok: true });
    }
    const apiMatch = /^\/api\/([a-zA-Z.]+)$/.exec(url.pathname);
    if (!apiMatch?.[1]) return sendJson(res, 404, { ok: false, error: 'unknown_method' });
    const method = apiMatch[1];
    const args = parseArgs(raw, req.headers['content-type']);

    const limit = this.rateLimits.get(method);
    if (limit && limit.count > 0) {
      limit.count -= 1;
      this.calls.push({ method, args, at: Date.now(), status: 429 });
      return sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limit.retryAfterSeconds) });
    }
    const failures = this.failures.get(method) ?? 0;
    if (failures > 0) {
      this.failures.set(method, failures - 1);
      this.calls.push({ method, args, at: Date.now(), status: 500 });
      return sendJson(res, 500, { ok: false, error: 'internal_error' });
    }
    this.calls.push({ method, args, at: Date.now(), status: 200 });
    const body = this.answer(method, args);
    const delay = this.delays.get(method);
    if (delay && delay.count > 0) {
      delay.count -= 1;
      await new Promise((r) => setTimeout(r, delay.ms));
    }
    if (!res.destroyed) sendJson(res, 200, body);
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.test/', team: 'Fake', user: 'allot', team_id: this.teamId, user_id: 'UBOT', bot_id: 'BBOT' };
      case 'chat.postMessage': {
        const channel = String(args['channel'] ?? '');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        this.seq += 1;
        const message: PostedMessage = {
          channel,
          ts: `${1_700_000_000 + this.seq}.${String(this.seq).padStart(6, '0')}`,
          text: String(args['text'] ?? ''),
          blocks: args['blocks'],
          ...(args['metadata'] ? { metadata: args['metadata'] as PostedMessage['metadata'] & object } : {}),
          ...(args['thread_ts'] ? { thread_ts: String(args['thread_ts']) } : {}),
        };
        this.history.set(channel, [...(this.history.get(channel) ?? []), message]);
        return { ok: true, channel, ts: message.ts, message: { text: message.text, ts: message.ts } };
      }
      case 'views.publish':
        return { ok: true, view: { id: `V${this.calls.length}`, ...(args['view'] as object) } };
      case 'conversations.history': {
        const channel = String(args['channel'] ?? '');
        const limit = Number(args['limit'] ?? 100);
        const withMetadata = args['include_all_metadata'] === true || args['include_all_metadata'] === 'true';
        const messages = [...(this.history.get(channel) ?? [])]
          .reverse()
          .slice(0, limit)
          .map((m) => ({ type: 'message', ts: m.ts, text: m.text, bot_id: 'BBOT', ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}) }));
        return { ok: true, messages, has_more: false };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.has(key)) {
      try {
        args[key] = JSON.parse(value);
        continue;
      } catch {
        /* not JSON: keep the string */
      }
    }
    args[key] = value;
  }
  return args;
}
