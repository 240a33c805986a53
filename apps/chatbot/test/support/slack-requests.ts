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
