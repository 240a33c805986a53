import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { createCoreClient, type CoreClient } from '@allot/grpc-client';
import { AlertDeliveryService, type DeliveryStats } from './alerts/alert-delivery.service';
import type { AlertPoster } from './alerts/alert-poster';
import type { BackoffOptions } from './alerts/backoff';
import type { ChatbotConfig } from './config';
import { createConversation } from './conversation';
import type { Conversation } from './conversation/conversation.types';
import { createSlackAdapter } from './slack/slack.adapter';
import { createAlertWebClient, SlackAlertPoster } from './slack/slack-alert.poster';
import { createTeamsAdapter } from './teams/teams.adapter';
import { TeamsAlertPoster } from './teams/teams-alert.poster';
import { TenantDirectory } from './tenants/tenant-directory';
import { createChatNotifier, type ChatNotifier } from './notify/chat-notifier';

export interface StartChatbotOptions {
  /** Wraps the conversation core (tests count calls with it). */
  readonly wrapConversation?: (conversation: Conversation) => Conversation;
  /** Backoff of alert posts and stream reconnects. */
  readonly backoff?: BackoffOptions;
  /** @defaultValue console.log */
  readonly log?: (message: string) => void;
}

export interface RunningChatbot {
  /** http://host:port of the server (POST /slack/events, POST /api/messages, GET /healthz). */
  readonly url: string;
  readonly port: number;
  readonly alertStats: DeliveryStats;
  /** Closes the server and stops alert delivery (a post in flight may finish and be acked for up to 5 s). */
  stop(): Promise<void>;
}

/**
 * Starts the bot: one HTTP server for Slack and Teams, the shared conversation core, and alert delivery.
 * Slack and Teams are each optional (present in the config when their credentials are set).
 */
export async function startChatbot(config: ChatbotConfig, options: StartChatbotOptions = {}): Promise<RunningChatbot> {
  const log = options.log ?? ((m: string) => console.log(m));
  const directory = new TenantDirectory(config.tenants, config.admins);
  const core = createCoreClient({ address: config.coreAddress, apiKey: config.coreApiKey });

  // Bindings made through the bot are followed at once (not at the next refresh), starting at the tenant's
  // newest alert; the delivery service is created below, so the hook reads it late.
  const late: { delivery?: AlertDeliveryService } = {};
  const coreForConversation = withBindingHooks(core, {
    bound: (binding, alreadyBound) => late.delivery?.onBound(binding, alreadyBound),
    unbound: (tenantId) => late.delivery?.onUnbound(tenantId),
  });
  // Capacity requests post to the admins' channels and back to makers; the posters exist only below.
  const lateNotifier: { current?: ChatNotifier } = {};
  const notifier: ChatNotifier = {
    toAdmins: (tenantId, reply) => lateNotifier.current?.toAdmins(tenantId, reply) ?? Promise.resolve(0),
    toConversation: (channel, reply) => lateNotifier.current?.toConversation(channel, reply) ?? Promise.resolve(false),
  };
  const baseConversation = createConversation({ core: coreForConversation, notifier });
  const conversation = options.wrapConversation ? options.wrapConversation(baseConversation) : baseConversation;

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', slack: Boolean(config.slack), teams: Boolean(config.teams) });
  });

  const posters: AlertPoster[] = [];
  const notifierOptions: { slack?: ReturnType<typeof createAlertWebClient>; teams?: { adapter: ReturnType<typeof createTeamsAdapter>['adapter']; appId: string } } = {};
  if (config.slack) {
    const slack = createSlackAdapter({ config: config.slack, conversation, directory, log });
    // Bolt reads and verifies the raw body itself (signature over the exact bytes), so no body parser here.
    app.post('/slack/events', (req, res) => slack.requestListener(req, res));
    const apiUrl = config.slack.apiUrl ? (config.slack.apiUrl.endsWith('/') ? config.slack.apiUrl : `${config.slack.apiUrl}/`) : undefined;
    posters.push(new SlackAlertPoster(createAlertWebClient(config.slack.botToken, apiUrl)));
    notifierOptions.slack = slack.client;
  }
  if (config.teams) {
    const teams = createTeamsAdapter({ config: config.teams, conversation, directory, log });
    app.post('/api/messages', express.json({ limit: '1mb' }), async (req, res) => {
      await teams.process(req, res);
    });
    posters.push(new TeamsAlertPoster(teams.adapter, teams.appId));
    notifierOptions.teams = { adapter: teams.adapter, appId: teams.appId };
  }
  lateNotifier.current = createChatNotifier({ core, ...notifierOptions, log });

  const delivery = new AlertDeliveryService({
    core,
    conversation,
    posters,
    tenantIds: directory.tenantIds(),
    refreshMs: config.bindingRefreshMs,
    ...(options.backoff ? { backoff: options.backoff } : {}),
    log,
  });

  const server = await listen(app, config.port, config.host);
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  late.delivery = delivery;
  await delivery.start();
  const running = delivery;

  return {
    url: `http://${shownHost}:${port}`,
    port,
    alertStats: running.stats,
    stop: async () => {
      await running.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      core.close();
    },
  };
}

interface BindingHooks {
  bound(binding: NonNullable<Awaited<ReturnType<CoreClient['alerts']['bindChannel']>>['binding']>, alreadyBound: boolean): Promise<void> | undefined;
  unbound(tenantId: string): Promise<void> | undefined;
}

/** The core client with BindChannel/UnbindChannel reporting to alert delivery after they succeed. */
function withBindingHooks(core: CoreClient, hooks: BindingHooks): CoreClient {
  const alerts: CoreClient['alerts'] = {
    ...core.alerts,
    bindChannel: async (request, callOptions) => {
      const response = await core.alerts.bindChannel(request, callOptions);
      if (response.binding) await hooks.bound(response.binding, response.alreadyBound);
      return response;
    },
    unbindChannel: async (request, callOptions) => {
      const response = await core.alerts.unbindChannel(request, callOptions);
      await hooks.unbound(request.tenantId);
      return response;
    },
  };
  return { ...core, alerts };
}

function listen(app: express.Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}
