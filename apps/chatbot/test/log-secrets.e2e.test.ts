/**
 * No secret reaches the bot's log. The real bot process (apps/chatbot/src/main.ts) runs with a Slack bot token and
 * signing secret, a Bot Framework password and the core key, answers a signed slash command, refuses a forged one
 * and an unauthenticated Teams activity, and stops; none of those values may appear in what it printed.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreClient } from '@allot/grpc-client';
import { freePort } from '@allot/local-services';
import { eventually, startCoreProcess, startTestMongo, type CoreProcess, type RunningService } from '@allot/testing';
import { FakeSlackApi } from './support/fake-slack-api';
import { postSlashCommand } from './support/slack-requests';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const secret = (name: string): string => `${name}-${randomBytes(12).toString('hex')}`;

describe('the bot keeps its secrets out of its log', () => {
  let mongo: RunningService;
  let core: CoreProcess;
  let slack: FakeSlackApi;
  beforeAll(async () => {
    mongo = await startTestMongo();
    core = await startCoreProcess({ mongodbUri: mongo.url });
    const admin = createCoreClient({ address: core.address, apiKey: core.adminKey });
    await admin.admin.createTenant({ tenantId: 'secrets', displayName: 'Secrets', timeZone: 'UTC' });
    admin.close();
    slack = await new FakeSlackApi('T0SECRET').start();
  });
  afterAll(async () => {
    await slack?.stop();
    await core?.stop();
    await mongo?.stop();
  });

  it('prints none of them while it serves, refuses and stops', { timeout: 180_000 }, async () => {
    const secrets = {
      SLACK_BOT_TOKEN: `xoxb-${secret('token')}`,
      SLACK_SIGNING_SECRET: secret('signing'),
      MicrosoftAppPassword: secret('teams-password'),
      CHATBOT_CORE_KEY: core.adminKey,
    };
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'apps/chatbot/src/main.ts')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...secrets,
        SLACK_API_URL: slack.apiUrl,
        MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
        CHATBOT_PORT: String(port),
        CHATBOT_HOST: '127.0.0.1',
        CREDIT_CORE_ADDR: core.address,
        CHATBOT_TENANTS: 'slack:T0SECRET=secrets',
      },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const url = `http://127.0.0.1:${port}`;
    await eventually(async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok, 'the bot to answer /healthz', 120_000);

    const fields = { team_id: 'T0SECRET', user_id: 'U0ONE', channel_id: 'C0ONE', text: 'balance', response_url: slack.responseUrl('balance') };
    expect((await postSlashCommand(url, secrets.SLACK_SIGNING_SECRET, fields)).status).toBe(200);
    await eventually(() => slack.responses.some((r) => r.id === 'balance'), 'the answer to the slash command');
    expect((await postSlashCommand(url, 'a-forged-secret', fields)).status).toBe(401);
    const teams = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'balance' }) });
    expect(teams.status).toBeGreaterThanOrEqual(400);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    expect(output.length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(secrets)) expect(output.includes(value), `${name} appears in the bot's output`).toBe(false);
  });
});
