import { createHmac } from 'node:crypto';

/** Slack's request signature: `v0=` + HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret. */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  /** Seconds since epoch; default now. */
  readonly timestamp?: number;
  /** Overrides the computed signature (forgery tests). */
  readonly signature?: string;
}

async function postSigned(url: string, secret: string, body: string, contentType: string, options: SignedPostOptions): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(secret, timestamp, body),
    },
    body,
  });
}

/** A `/credits` slash command, form-encoded and signed, as Slack sends it. */
export function postSlashCommand(
  botUrl: string,
  secret: string,
  fields: { team_id: string; user_id: string; channel_id: string; text: string; response_url: string },
  options: SignedPostOptions = {},
): Promise<Response> {
  const body = new URLSearchParams({
    token: 'legacy-verification-token',
    command: '/credits',
    team_domain: 'fake',
    channel_name: 'general',
    user_name: 'someone',
    trigger_id: `${Date.now()}.trigger`,
    api_app_id: 'A0ALLOT',
    ...fields,
  }).toString();
  return postSigned(`${botUrl}/slack/events`, secret, body, 'application/x-www-form-urlencoded', options);
}

let eventSeq = 0;

/** An Events API callback (event_callback), JSON and signed. */
export function postSlackEvent(botUrl: string, secret: string, teamId: string, event: Record<string, unknown>, options: SignedPostOptions = {}): Promise<Response> {
  eventSeq += 1;
  const body = JSON.stringify({
    token: 'legacy-verification-token',
    team_id: teamId,
    api_app_id: 'A0ALLOT',
    type: 'event_callback',
    event_id: `Ev${Date.now()}${eventSeq}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: teamId, user_id: 'UBOT', is_bot: true }],
    event,
  });
  return postSigned(`${botUrl}/slack/events`, secret, body, 'application/json', options);
}

/**
 * A click on a Block Kit button (an interactivity `block_actions` payload), form-encoded as `payload=<json>` and
 * signed, as Slack sends it. The answer goes to `response_url`.
 */
export function postBlockAction(
  botUrl: string,
  secret: string,
  fields: { team_id: string; user_id: string; channel_id: string; action_id: string; value: string; response_url: string },
  options: SignedPostOptions = {},
): Promise<Response> {
  const payload = {
    type: 'block_actions',
    api_app_id: 'A0ALLOT',
    token: 'legacy-verification-token',
    team: { id: fields.team_id, domain: 'fake' },
    user: { id: fields.user_id, username: 'someone', team_id: fields.team_id },
    channel: { id: fields.channel_id, name: 'general' },
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: fields.channel_id, is_ephemeral: true },
    trigger_id: `${Date.now()}.trigger`,
    response_url: fields.response_url,
    actions: [{ type: 'button', action_id: fields.action_id, block_id: `confirm-${fields.value}`, value: fields.value, text: { type: 'plain_text', text: 'Yes' }, action_ts: `${Date.now() / 1000}` }],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSigned(`${botUrl}/slack/events`, secret, body, 'application/x-www-form-urlencoded', options);
}

/** The action id a Slack preview carries on its yes button (from the blocks of an answer). */
export function confirmActionIdOf(blocks: unknown): string {
  const actions = (blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === 'actions');
  const yes = actions?.elements?.find((e) => e.action_id === 'allot_confirm');
  if (yes === undefined) throw new Error(`no confirm button in ${JSON.stringify(blocks).slice(0, 300)}`);
  return yes.value;
}
