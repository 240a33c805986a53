/**
 * Admin actions end to end against a real core: previews with yes/no, Slack buttons (signed block_actions through
 * Bolt), Teams Action.Submit and Action.Execute (invoke), refusals with numbers, a non-admin refused, and each
 * effect checked through the gRPC API afterwards, with its audit entry (who, what, when, which channel).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAcme, SIGNING_SECRET, SLACK_ADMIN, SLACK_DUAL_TEAM, SLACK_MEMBER, SLACK_TEAM, startBotEnv, TEAMS_ADMIN, TEAMS_TENANT, type BotEnv } from './support/bot-env';
import { confirmDataOf, teamsMessage, teamsSubmit, type ConnectorPost } from './support/fake-bot-connector';
import { waitFor } from './support/http-server';
import { confirmActionIdOf, postBlockAction, postSlashCommand } from './support/slack-requests';
import { runConsole } from './support/run-console';
import { Currency, EntitlementKind, LicensingModel, Role } from '@allot/contracts';

const CHANNEL = 'C0ADMINS';
const TEAMS_CHAT = 'a:admin-chat';

describe('actions: previewed, confirmed, refused, audited', () => {
  let env: BotEnv;
  let seq = 0;

  beforeAll(async () => {
    env = await startBotEnv();
    // Capacity 1,000,000; Sales Prod 600,000, Dev 100,000: 300,000 unassigned.
    await seedAcme(env);
    await env.consume('sales-prod', 450_000, 'ada@acme.test');
    await env.consume('dev', 30_000, 'bob@acme.test');
  }, 180_000);
  afterAll(async () => {
    await env?.stop();
  });

  const allocations = async (): Promise<Record<string, number>> => {
    const c = await env.admin.admin.getCapacity({ tenantId: env.tenantId, period: '' });
    return Object.fromEntries(c.allocations.map((l) => [l.environmentId, l.credits]));
  };
  const audit = async () => (await env.admin.admin.listAuditEntries({ tenantId: env.tenantId, limit: 20 })).entries;

  async function slash(text: string, user = SLACK_ADMIN, team = SLACK_TEAM): Promise<{ text: string; blocks: unknown }> {
    seq += 1;
    const id = `act-${seq}`;
    const res = await postSlashCommand(env.bot.url, SIGNING_SECRET, { team_id: team, user_id: user, channel_id: CHANNEL, text, response_url: env.slack.responseUrl(id) });
    expect(res.status).toBe(200);
    const answer = await waitFor(() => env.slack.responses.find((r) => r.id === id), `answer to "${text}"`);
    return { text: String(answer.body['text']), blocks: answer.body['blocks'] };
  }

  async function click(blocks: unknown, approve: boolean, user = SLACK_ADMIN, team = SLACK_TEAM): Promise<string> {
    seq += 1;
    const id = `click-${seq}`;
    const res = await postBlockAction(env.bot.url, SIGNING_SECRET, {
      team_id: team,
      user_id: user,
      channel_id: CHANNEL,
      action_id: approve ? 'allot_confirm' : 'allot_decline',
      value: confirmActionIdOf(blocks),
      response_url: env.slack.responseUrl(id),
    });
    expect(res.status).toBe(200);
    const answer = await waitFor(() => env.slack.responses.find((r) => r.id === id), 'answer to the click');
    expect(answer.body['replace_original']).toBe(true);
    return String(answer.body['text']);
  }

  async function teams(activity: Record<string, unknown>): Promise<ConnectorPost> {
    const res = await fetch(`${env.bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(res.status).toBe(200);
    return waitFor(() => env.connector.postsTo(TEAMS_CHAT).find((p) => p.replyToId === activity['id']), 'Teams answer');
  }
  const teamsSays = (text: string) => teams(teamsMessage({ serviceUrl: env.connector.serviceUrl, text, conversationId: TEAMS_CHAT, tenantId: TEAMS_TENANT, userAadId: TEAMS_ADMIN, conversationType: 'personal' }));

  it('Slack: "give sales prod 100000 more credits" previews the exact change, and the Yes button makes it', async () => {
    const preview = await slash('give sales prod 100000 more credits');
    expect(preview.text).toContain("raise Sales Prod (sales-prod)'s allocation by 100,000, from 600,000 to 700,000 credits");
    expect(preview.text).toContain('Do it?');
    expect(await allocations()).toMatchObject({ 'sales-prod': 600_000 });

    const done = await click(preview.blocks, true);
    expect(done).toContain('Done');
    expect(await allocations()).toMatchObject({ 'sales-prod': 700_000, dev: 100_000 });
    const [entry] = await audit();
    expect(entry).toMatchObject({ action: 'SetAllocation', actor: `slack:${SLACK_ADMIN}`, channel: `slack:${CHANNEL}`, detail: 'sales-prod allocation = 700000 credits', succeeded: true });
    expect(entry?.at).toBeInstanceOf(Date);
  });

  it('a second click on the same button changes nothing more', async () => {
    const preview = await slash('raise dev by 1k');
    expect(await click(preview.blocks, true)).toContain('Done');
    expect(await click(preview.blocks, true)).toContain('expired or was already answered');
    expect(await allocations()).toMatchObject({ dev: 101_000 });
  });

  it('refuses a raise above the unassigned credits with the numbers, and changes nothing', async () => {
    const r = await slash('give sales prod 500k more');
    expect(r.text).toContain('only 199,000 unassigned');
    expect(JSON.stringify(r.blocks)).not.toContain('allot_confirm');
    expect(await allocations()).toMatchObject({ 'sales-prod': 700_000 });
  });

  it("a non-admin's action is refused before anything is asked, and a click on an admin's preview does nothing", async () => {
    const before = await allocations();
    const auditBefore = (await audit()).length;
    const refused = await slash('move 10k from dev to sales prod', SLACK_MEMBER);
    expect(refused.text).toMatch(/only admins/i);
    const preview = await slash('lower dev by 1k');
    expect(await click(preview.blocks, true, SLACK_MEMBER)).toContain('Only the person who asked');
    expect(await click(preview.blocks, false)).toContain('Cancelled');
    expect(await allocations()).toEqual(before);
    expect((await audit()).length).toBe(auditBefore);
  });

  it('Teams: a declined Action.Submit changes nothing; a confirmed move (Action.Execute invoke) moves both allocations', async () => {
    const lower = await teamsSays('lower dev by 10k');
    const declined = await teams(teamsSubmit({ serviceUrl: env.connector.serviceUrl, conversationId: TEAMS_CHAT, tenantId: TEAMS_TENANT, userAadId: TEAMS_ADMIN, conversationType: 'personal', data: { ...confirmDataOf(lower), allotAction: 'decline' } }));
    expect(declined.activity.summary).toContain('Nothing was changed');
    expect(await allocations()).toMatchObject({ dev: 101_000 });

    const move = await teamsSays('move 50000 credits from dev to sales prod');
    expect(move.activity.summary).toContain('Dev (dev): 101,000 → 51,000 credits');
    expect(move.activity.summary).toContain('Sales Prod (sales-prod): 700,000 → 750,000 credits');
    const moved = await teams(teamsSubmit({ serviceUrl: env.connector.serviceUrl, conversationId: TEAMS_CHAT, tenantId: TEAMS_TENANT, userAadId: TEAMS_ADMIN, conversationType: 'personal', data: confirmDataOf(move), invoke: true }));
    expect(moved.activity.summary).toContain('Done');
    expect(await allocations()).toMatchObject({ dev: 51_000, 'sales-prod': 750_000 });
    const entries = await audit();
    expect(entries.slice(0, 2).map((e) => e.detail).sort()).toEqual(['dev allocation = 51000 credits', 'sales-prod allocation = 750000 credits']);
    expect(entries[0]).toMatchObject({ actor: `teams:${TEAMS_ADMIN}`, channel: `teams:${TEAMS_CHAT}` });
  });

  it('what-ifs change nothing and show stages before and after', async () => {
    const before = await allocations();
    const r = await slash('what if I move 40k from sales prod to dev?');
    expect(r.text).toContain('This is a simulation; nothing was changed.');
    expect(r.text).toContain('Sales Prod (sales-prod): Normal (60% of 750,000) → Normal (63% of 710,000)');
    expect(r.text).toContain('Dev (dev): Normal (58% of 51,000) → Normal (32% of 91,000)');
    expect(r.text).toContain('No environment would change stage.');
    const addon = await slash('what happens if I add one capacity add-on?');
    expect(addon.text).toContain('1 capacity add-on (1,000,000 credits a month)');
    expect(JSON.stringify(addon.blocks)).toContain('1,000,000 → 2,000,000');
    const ends = await slash('what if the add-on ends?');
    expect(ends.text).toContain('nothing was changed');
    expect(await allocations()).toEqual(before);
  });

  it('answers the new questions with the core numbers', async () => {
    expect((await slash('how much did ada use?')).text).toContain('ada@acme.test used 450,000 credits');
    expect((await slash('how much did bob use in dev?')).text).toContain('bob@acme.test used 30,000 credits in Dev (dev)');
    expect((await slash('which environments have unused allocations?')).text).toMatch(/Every allocation has been used|nothing used/);
    expect((await slash('how much is unassigned?')).text).toContain('199,000 credits unassigned');
    expect((await slash('top consumers by source')).text).toContain('Allocations 480,000 credits');
    const unsure = await slash('sales prod 50k');
    expect(unsure.text).toContain("I'm not sure what you mean");
    expect(unsure.text).toContain('amount 50,000');
    expect(unsure.text).toContain('The closest questions I can answer');
    expect(unsure.text).toContain('Nothing was changed');
    const why = await slash('why is dev in warning?');
    expect(why.text).toContain('Rule: below 80% Normal');
    expect(why.text).toContain('RUN allowed');
  });

  it('console: the ADMIN key counts as admin (a move confirmed with "yes", a change declined with "no"); a READER key does not', async () => {
    // Dev: 66,000 used of 51,000 (129%): blocked.
    await env.consume('dev', 36_000, 'bob@acme.test');
    const before = await allocations();
    const script = [
      'how much did ada use?',
      'why is dev blocked?',
      'what if I move 20k from sales prod to dev?',
      'move 20k from sales prod to dev',
      'yes',
      'set dev to 5000',
      'no',
      'give sales prod 900k more',
    ];
    const run = await runConsole(`${script.join('\n')}\n`, { CREDIT_CORE_ADDR: env.core.address, CREDIT_CORE_ADMIN_KEY: env.core.adminKey, CHATBOT_CORE_KEY: '', CHAT_TENANT: env.tenantId, CHAT_USER: 'ops-admin' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    console.log(run.stdout);
    expect(run.stdout).toContain('Your key has the ADMIN role');
    expect(run.stdout).toContain('Dev (dev) is Blocked: 66,000 credits of 51,000 credits used (129%)');
    expect(run.stdout).toContain('RUN refused (QUOTA_EXCEEDED');
    expect(run.stdout).toContain('Would change stage: Dev (dev) Blocked → Warning.');
    expect(run.stdout).toContain('Done: move 20,000 credits of allocation from Sales Prod (sales-prod) to Dev (dev)');
    expect(run.stdout).toContain('Cancelled: I did not set Dev (dev)');
    expect(run.stdout).toMatch(/only \d[\d,]* unassigned/);
    expect(await allocations()).toMatchObject({ dev: (before['dev'] ?? 0) + 20_000, 'sales-prod': (before['sales-prod'] ?? 0) - 20_000 });
    expect((await audit())[0]).toMatchObject({ actor: 'console:ops-admin', channel: 'console' });

    const reader = await env.admin.admin.createApiKey({ tenantId: env.tenantId, role: Role.ROLE_READER, description: 'console reader' });
    const refused = await runConsole('move 1k from dev to sales prod\nyes\n', { CREDIT_CORE_ADDR: env.core.address, CHATBOT_CORE_KEY: reader.apiKey, CHAT_TENANT: env.tenantId });
    expect(refused.stdout).toMatch(/only admins/i);
    expect(refused.stdout).toContain('Nothing is waiting for a yes');
    expect(await allocations()).toMatchObject({ dev: (before['dev'] ?? 0) + 20_000 });
  });

  it('Copilot Credits (DUAL): allocated, moved and pay-as-you-go set through Slack, each checked through the core; a CLASSIC tenant is refused', async () => {
    // Acme is CLASSIC: refused in words, nothing to confirm, nothing changed.
    const auditBefore = (await audit()).length;
    const classic = await slash('allocate 20,000 Copilot Credits to sales prod');
    expect(classic.text).toContain('Copilot Credits apply only to tenants on the DUAL licensing model, and Acme is on the CLASSIC model');
    expect(JSON.stringify(classic.blocks)).not.toContain('allot_confirm');
    expect((await env.admin.admin.listEnvironments({ tenantId: env.tenantId })).environments.every((e) => e.copilotAllocation === undefined)).toBe(true);
    expect((await audit()).length).toBe(auditBefore);

    // Fabrikam is DUAL: two Copilot Credit packs (50,000 a month); dev already has 10,000 of them, 40,000 unassigned.
    const tenantId = env.dualTenantId;
    const core = env.admin.admin;
    await core.createTenant({ tenantId, displayName: 'Fabrikam', timeZone: 'UTC' });
    await core.updateTenantSettings({ tenantId, thresholds: undefined, licensingModel: LicensingModel.LICENSING_MODEL_DUAL });
    await core.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
    await core.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_COPILOT_PACK, sku: '', quantity: 2, firstPeriod: '', lastPeriod: '' });
    await core.createEnvironment({ tenantId, environmentId: 'prod', displayName: 'Production', tenantPoolFallback: false });
    await core.createEnvironment({ tenantId, environmentId: 'dev', displayName: 'Dev', tenantPoolFallback: false });
    await core.setAllocation({ tenantId, environmentId: 'dev', credits: 10_000, currency: Currency.CURRENCY_COPILOT });
    const say = (text: string) => slash(text, SLACK_ADMIN, SLACK_DUAL_TEAM);
    const yes = (blocks: unknown) => click(blocks, true, SLACK_ADMIN, SLACK_DUAL_TEAM);
    const copilot = async () => {
      const c = await core.getCapacity({ tenantId, period: '' });
      return { pool: c.copilot, allocations: Object.fromEntries(c.allocations.map((l) => [l.environmentId, l.copilotCredits])) };
    };
    const prod = async () => (await core.listEnvironments({ tenantId })).environments.find((e) => e.environmentId === 'prod');
    const fabrikamAudit = async () => (await core.listAuditEntries({ tenantId, limit: 20 })).entries;

    const preview = await say('allocate 20,000 Copilot Credits to prod');
    expect(preview.text).toContain("I will set Production (prod)'s Copilot allocation to 20,000 Copilot Credits (now 0).");
    expect(preview.text).toContain('Production (prod): 0 → 20,000 Copilot Credits');
    expect(preview.text).toContain('Unassigned in the Copilot pool: 40,000 → 20,000 Copilot Credits');
    expect((await copilot()).pool).toMatchObject({ allocated: 10_000, unassigned: 40_000 });
    const done = await yes(preview.blocks);
    expect(done).toContain('Done');
    expect(done).toContain('Unassigned in the Copilot pool now 20,000 Copilot Credits');
    expect(await copilot()).toMatchObject({ pool: { capacity: 50_000, allocated: 30_000, unassigned: 20_000 }, allocations: { prod: 20_000, dev: 10_000 } });
    expect((await prod())?.copilotAllocation).toBe(20_000);
    expect((await fabrikamAudit())[0]).toMatchObject({ action: 'SetAllocation', actor: `slack:${SLACK_ADMIN}`, channel: `slack:${CHANNEL}`, detail: 'prod allocation = 20000 Copilot Credits', succeeded: true });

    const move = await say('move 5,000 Copilot Credits from dev to prod');
    expect(move.text).toContain('Dev (dev): 10,000 → 5,000 Copilot Credits\nProduction (prod): 20,000 → 25,000 Copilot Credits');
    expect(await yes(move.blocks)).toContain('Done');
    expect((await copilot()).allocations).toEqual({ prod: 25_000, dev: 5_000 });
    // The source was lowered first (the audit is newest first).
    expect((await fabrikamAudit()).slice(0, 2).map((e) => e.detail)).toEqual(['prod allocation = 25000 Copilot Credits', 'dev allocation = 5000 Copilot Credits']);

    const payg = await say('turn on pay-as-you-go for prod with a budget of 5,000');
    expect(payg.text).toContain('Pay-as-you-go: off → on\nPay-as-you-go budget: 5,000 Copilot Credits a month');
    expect(await yes(payg.blocks)).toContain('Done');
    const draw = await say('stop prod drawing Copilot Credits from the tenant');
    expect(draw.text).toContain("Draws from the tenant's Copilot pool: yes → no");
    expect(await yes(draw.blocks)).toContain('Done');
    expect(await prod()).toMatchObject({ copilotAllocation: 25_000, copilotPayg: true, copilotPaygBudget: 5_000, copilotDrawFromTenant: false });
    expect((await fabrikamAudit()).slice(0, 2)).toMatchObject([
      { action: 'UpdateEnvironmentSettings', actor: `slack:${SLACK_ADMIN}`, channel: `slack:${CHANNEL}`, succeeded: true },
      { action: 'UpdateEnvironmentSettings', actor: `slack:${SLACK_ADMIN}`, succeeded: true },
    ]);
  });
});
