import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnFreePort, readBody, sendJson } from './http-server';

/** An activity the bot sent to the connector. */
export interface ConnectorPost {
  readonly conversationId: string;
  /** Set for replies (POST .../activities/:replyToId), absent for proactive messages. */
  readonly replyToId?: string;
  readonly activity: {
    type?: string;
    text?: string;
    summary?: string;
    attachments?: Array<{ contentType: string; content: { type?: string; version?: string; body?: unknown[] } & Record<string, unknown> }>;
  } & Record<string, unknown>;
  readonly authorization?: string;
}

/**
 * A local stand-in for the Bot Framework connector (an incoming activity's serviceUrl): accepts
 * POST /v3/conversations/:id/activities and /v3/conversations/:id/activities/:replyTo and records them.
 */
export class FakeBotConnector {
  readonly posts: ConnectorPost[] = [];
  private server: Awaited<ReturnType<typeof listenOnFreePort>> | undefined;
  private seq = 0;

  get serviceUrl(): string {
    if (!this.server) throw new Error('fake connector not started');
    return `${this.server.url}/`;
  }

  async start(): Promise<this> {
    this.server = await listenOnFreePort((req, res) => void this.handle(req, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  postsTo(conversationId: string): ConnectorPost[] {
    return this.posts.filter((p) => p.conversationId === conversationId);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(url.pathname);
    if (req.method !== 'POST' || !match?.[1]) return sendJson(res, 404, { error: { code: 'NotFound', message: url.pathname } });
    this.seq += 1;
    this.posts.push({
      conversationId: decodeURIComponent(match[1]),
      ...(match[2] ? { replyToId: decodeURIComponent(match[2]) } : {}),
      activity: JSON.parse(raw) as ConnectorPost['activity'],
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    sendJson(res, 200, { id: `activity-${this.seq}` });
  }
}

/** An incoming Teams message activity, as the connector would POST it to /api/messages. */
export function teamsMessage(options: {
  serviceUrl: string;
  text: string;
  conversationId: string;
  tenantId: string;
  userAadId: string;
  conversationType?: 'personal' | 'channel' | 'groupChat';
  id?: string;
}): Record<string, unknown> {
  return {
    type: 'message',
    id: options.id ?? `msg-${Math.random().toString(36).slice(2)}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: options.serviceUrl,
    from: { id: `29:${options.userAadId}`, name: 'Ada Admin', aadObjectId: options.userAadId },
    recipient: { id: '28:allot-bot', name: 'Allot' },
    conversation: { id: options.conversationId, conversationType: options.conversationType ?? 'channel', tenantId: options.tenantId, isGroup: options.conversationType !== 'personal' },
    channelData: { tenant: { id: options.tenantId } },
    text: options.text,
    textFormat: 'plain',
    locale: 'en-US',
  };
}

/** The yes / no of a preview card in Teams: Action.Submit as a message with `value`, or Action.Execute as an invoke. */
export function teamsSubmit(options: Omit<Parameters<typeof teamsMessage>[0], 'text'> & { data: Record<string, unknown>; invoke?: boolean }): Record<string, unknown> {
  const base = teamsMessage({ ...options, text: '' });
  delete base['text'];
  return options.invoke
    ? { ...base, type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'allot', data: options.data } } }
    : { ...base, value: options.data };
}

/** The data of the yes button of an Adaptive Card preview. */
export function confirmDataOf(post: ConnectorPost): Record<string, unknown> {
  const actions = post.activity.attachments?.[0]?.content['actions'] as Array<{ title: string; data: Record<string, unknown> }> | undefined;
  const yes = actions?.find((a) => a.data['allotAction'] === 'confirm');
  if (yes === undefined) throw new Error('no confirm action in the card');
  return yes.data;
}
