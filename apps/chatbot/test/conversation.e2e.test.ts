/**
 * The conversation core against a real credit core on FerretDB, over real gRPC: a tenant with an add-on,
 * allocations and consumption is set up through the core's API, then every question is asked in plain words and
 * the answers must carry the core's numbers. The console channel is run as its own process with piped stdin.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Currency, EntitlementKind, LicensingModel, Operation, RecordConsumptionRequest } from '@allot/contracts';
import { createCoreClient, type CoreClient } from '@allot/grpc-client';
import { startCoreProcess, startTestMongo, type CoreProcess, type RunningService } from '@allot/testing';
import { createConversation, formatCredits, type Conversation, type ConversationContext, type Reply } from '../src/conversation';
import { toAdaptiveCard, toPlainText, toSlackMessage } from '../src/render';
import { runConsole } from './support/run-console';

/** The core's clock and the bot's: a Friday late in November 2026, so the reset is 1 Dec 2026 in Paris. */
const NOW = new Date('2026-11-20T12:00:00Z');
const OCTOBER = new Date('2026-10-20T12:00:00Z');
const TENANT = 'acme';
const TRIAL_TENANT = 'trialco';

const ctx = (over: Partial<ConversationContext> = {}): ConversationContext => ({
  tenantId: TENANT,
  userId: 'U-admin',
  isAdmin: true,
  channel: { platform: 'slack', channelId: 'C-credits' },
  ...over,
});

/** Every rendering of a reply, so a number must appear wherever people will read it. */
function everywhere(reply: Reply): string {
  return [reply.text, toPlainText(reply), JSON.stringify(toSlackMessage(reply)), JSON.stringify(toAdaptiveCard(reply))].join('\n');
}

describe('conversation against a real core', () => {
  let mongo: RunningService;
  let core: CoreProcess;
  let admin: CoreClient;
  let conversation: Conversation;

  const ask = async (text: string, context = ctx()): Promise<Reply> => conversation.handle(text, context);
  /** An action: its preview must ask yes or no; the answer to "yes" is returned. */
  const askAndConfirm = async (text: string, context = ctx()): Promise<Reply> => {
    const preview = await ask(text, context);
    expect(preview.confirm, `"${text}" asks for a yes`).toBeDefined();
    return ask('yes', context);
  };
  const record = (environmentId: string, userId: string, credits: number, day: string) =>
    admin.consumption.recordConsumption(
      RecordConsumptionRequest.fromPartial({
        tenantId: environmentId === 'lab' ? TRIAL_TENANT : TENANT,
        environmentId,
        userId,
        idempotencyKey: `e2e-${randomBytes(6).toString('hex')}`,
        occurredAt: new Date(`${day}T10:00:00Z`),
        operation: Operation.OPERATION_RUN,
        credits,
      }),
    );

  beforeAll(async () => {
    mongo = await startTestMongo();
    core = await startCoreProcess({ mongodbUri: mongo.url });
    admin = createCoreClient({ address: core.address, apiKey: core.adminKey });
    // The tenant starts in October so that "last month" has numbers of its own.
    await admin.maintenance.setTestClock({ now: OCTOBER });
    conversation = createConversation({ core: admin, now: () => NOW });

    await admin.admin.createTenant({ tenantId: TENANT, displayName: 'Acme Corp', timeZone: 'Europe/Paris' });
    await admin.admin.addEntitlement({ tenantId: TENANT, kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
    for (const [id, name, allocation] of [
      ['sales-prod', 'Sales Production', 400_000],
      ['dev', 'Dev Sandbox', 100_000],
      ['hr-test', 'HR Test', 10_000],
      ['sandbox', 'Shared Sandbox', 0],
    ] as const) {
      await admin.admin.createEnvironment({ tenantId: TENANT, environmentId: id, displayName: name, tenantPoolFallback: false });
      if (allocation > 0) await admin.admin.setAllocation({ tenantId: TENANT, environmentId: id, credits: allocation });
    }
    await record('sales-prod', 'erin', 7_000, '2026-10-15');
    await admin.maintenance.setTestClock({ now: NOW });
    await record('sales-prod', 'alice', 200_000, '2026-11-15');
    await record('sales-prod', 'bob', 140_000, '2026-11-18');
    await record('dev', 'alice', 20_000, '2026-11-16');
    await record('hr-test', 'carol', 13_000, '2026-11-19');
    await record('sandbox', 'dave', 5_000, '2026-11-19');

    await admin.admin.createTenant({ tenantId: TRIAL_TENANT, displayName: 'Trial Co', timeZone: 'UTC' });
    await admin.admin.createEnvironment({ tenantId: TRIAL_TENANT, environmentId: 'lab', displayName: 'Lab', tenantPoolFallback: false });
    await admin.admin.startTrial({ tenantId: TRIAL_TENANT, userId: 'U-trial' });
    await record('lab', 'U-trial', 20_000, '2026-11-20');
  });

  afterAll(async () => {
    admin?.close();
    await core?.stop();
    await mongo?.stop();
  });

  it('answers the balance of the tenant with capacity, consumption, stage, bar and reset date', async () => {
    const bal = await admin.reporting.getBalance({ tenantId: TENANT, environmentId: '', userId: '', period: '' });
    expect(bal.consumed).toBe(378_000);
    for (const q of ["what's left", 'Balance', 'how many credits do we have left?']) {
      const r = await ask(q);
      expect(r.title).toBe('Credits for Acme Corp');
      const all = everywhere(r);
      expect(all).toContain('378,000');
      expect(all).toContain('1,000,000');
      expect(all).toContain(formatCredits(bal.remaining));
      expect(all).toContain(formatCredits(bal.available));
      expect(all).toContain('resets 1 Dec 2026'.replace('r', 'R'));
      expect(all).toMatch(/[▓░]{10} \d+%/);
      // The tenant's stage is its worst environment's: say which ones.
      expect(r.text).toContain('Worst stage: Blocked (HR Test (hr-test) Blocked, Sales Production (sales-prod) Warning).');
    }
  });

  it('answers the balance of an environment named loosely', async () => {
    for (const q of ['how many credits left in sales prod?', 'balance Sales-Prod', 'credits salesprod', 'sales production', 'credits prod']) {
      const r = await ask(q);
      expect(r.title, q).toBe('Credits for Sales Production (sales-prod)');
      const all = everywhere(r);
      expect(all).toContain('60,000 of 400,000 credits left (340,000 used, 85%)');
      expect(all).toContain('Warning');
      expect(all).toContain('▓▓▓▓▓▓▓▓░░ 85%');
      expect(all).toContain('Resets 1 Dec 2026');
      expect(r.tone).toBe('warning');
    }
    const dev = await ask('balance dev');
    expect(dev.text).toContain('80,000 of 100,000 credits left (20,000 used, 20%)');
    expect(dev.text).toContain('Normal');
    const hr = await ask('credits hr test');
    expect(hr.text).toContain('0 of 10,000 credits left (13,000 used, 130%)');
    expect(hr.text).toContain('Blocked');
    expect(hr.text).toContain('3,000 credits over the limit');
    expect(hr.tone).toBe('blocked');
  });

  it('suggests close names for an unknown environment and makes up no numbers', async () => {
    const r = await ask('how many credits left in salse?');
    expect(r.text).toContain('couldn\'t find an environment called "salse"');
    expect(r.suggestions).toHaveLength(3);
    expect(r.suggestions?.[0]).toBe('sales-prod');
    // Card and Block Kit JSON carry digits of their own (version 1.5); what people read must have none.
    expect(`${r.text}\n${toPlainText(r)}\n${toSlackMessage(r).text}`).not.toMatch(/\d/);
    expect((await ask('forecast marketing')).text).toMatch(/Did you mean .+\?/);
  });

  it('ranks who and what consumed most this month', async () => {
    const users = await ask('who used the most credits?');
    expect(users.sections.map((s) => s.heading)).toEqual(['Top users']);
    expect(users.sections[0]?.facts?.map((f) => `${f.label} ${f.value}`)).toEqual([
      '1. alice 220,000 credits (58%)',
      '2. bob 140,000 credits (37%)',
      '3. carol 13,000 credits (3%)',
      '4. dave 5,000 credits (1%)',
    ]);
    expect(users.text).toContain('Acme Corp consumed 378,000 credits in November 2026');
    const envs = await ask('what consumed most');
    expect(envs.sections[0]?.heading).toBe('Top environments');
    expect(envs.sections[0]?.facts?.[0]).toEqual({ label: '1. Sales Production (sales-prod)', value: '340,000 credits (90%)' });
    const both = await ask('top');
    expect(both.sections.map((s) => s.heading)).toEqual(['Top users', 'Top environments']);
    const inProd = await ask('top users in sales prod');
    expect(inProd.sections[0]?.facts?.map((f) => f.label)).toEqual(['1. alice', '2. bob']);
    expect(everywhere(inProd)).toContain('200,000');
  });

  it('answers about last month when asked', async () => {
    const top = await ask('top 3 users last month');
    expect(top.title).toBe('Top consumers in Acme Corp, October 2026');
    expect(top.sections[0]?.facts).toEqual([{ label: '1. erin', value: '7,000 credits (100%)' }]);
    const bal = await ask('balance sales prod last month');
    expect(bal.text).toContain('Sales Production (sales-prod) had 393,000 of 400,000 credits left (7,000 used, 1%) in October 2026 (closed).');
    expect(bal.text).not.toContain('Resets');
    const now = await ask('top 3 users');
    expect(now.sections[0]?.facts?.map((f) => f.label)).toEqual(['1. alice', '2. bob', '3. carol']);
  });

  it('forecasts when an environment runs out, with the core\'s projection', async () => {
    const f = await admin.reporting.getForecast({ tenantId: TENANT, environmentId: 'sales-prod' });
    expect(f.runsOutBeforePeriodEnd).toBe(true);
    for (const q of ['when will prod run out?', 'forecast sales prod']) {
      const r = await ask(q);
      expect(r.title).toBe('Forecast for Sales Production (sales-prod)');
      const [y, m, d] = f.projectedExhaustionDate.split('-').map(Number);
      const day = `${d} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][(m ?? 1) - 1]} ${y}`;
      expect(r.text).toContain(`will run out on ${day}, before the reset on 1 Dec 2026`);
      expect(r.text).toContain(`${formatCredits(f.burnRatePerDay)} credits a day`);
      expect(everywhere(r)).toContain(formatCredits(f.projectedConsumed));
      expect(r.tone).toBe('warning');
    }
    const dev = await admin.reporting.getForecast({ tenantId: TENANT, environmentId: 'dev' });
    const devReply = await ask('how long will dev last');
    expect(devReply.text).toContain(formatCredits(dev.projectedConsumed));
  });

  it('shows the stage of every environment and which are blocked', async () => {
    const r = await ask('status');
    expect(r.text.split('\n')[0]).toBe('Blocked: HR Test (hr-test). Warning: Sales Production (sales-prod). 2 of 4 environments are Normal.');
    expect(r.text).toContain('Sales Production (sales-prod): Warning, 85% (340,000 credits of 400,000 credits)');
    expect(r.text).toContain('Shared Sandbox (sandbox): Normal');
    expect(r.text).toContain('Shared pool: Normal');
    expect(r.text).toContain('resets 1 Dec 2026');
    expect(r.tone).toBe('blocked');
    const blocked = await ask('Which environments are blocked?');
    expect(blocked.text.split('\n')[0]).toBe('1 environment is blocked: HR Test (hr-test).');
    expect(blocked.sections.map((x) => x.heading).filter(Boolean)).toEqual(['HR Test (hr-test)']);
    expect(everywhere(blocked)).toContain('▓▓▓▓▓▓▓▓▓▓ 130%');
  });

  it("answers the asking user's trial", async () => {
    const none = await ask('my trial');
    expect(none.text).toContain('You have no trial in Acme Corp');
    const r = await ask('how much trial do I have', ctx({ tenantId: TRIAL_TENANT, userId: 'U-trial' }));
    expect(r.text).toBe('You have 180,000 of 200,000 trial credits left (20,000 used). It expires 20 Dec 2026 (30 days left).');
    expect(everywhere(r)).toContain('▓░░░░░░░░░ 10%');
  });

  it('lets an admin bind and unbind a channel, and refuses a non-admin without changing anything', async () => {
    const bindings = async () => (await admin.alerts.listChannelBindings({ tenantId: TENANT })).bindings.map((b) => `${b.platform}:${b.channelId}`);
    const teams = ctx({ channel: { platform: 'teams', channelId: '19:abc@thread', reference: '{"conversation":{"id":"19:abc@thread"}}' } });
    expect((await ask('alerts here')).title).toBe('Confirm: alerts here');
    expect(await bindings()).toEqual([]);
    expect((await ask('yes')).title).toBe('Alerts will come here');
    expect((await askAndConfirm('send alerts here')).title).toBe('Alerts already come here');
    await askAndConfirm('Send alerts to this channel please', teams);
    expect((await bindings()).sort()).toEqual(['slack:C-credits', 'teams:19:abc@thread']);
    const stored = (await admin.alerts.listChannelBindings({ tenantId: TENANT })).bindings.find((b) => b.platform === 'teams');
    expect(stored?.reference).toBe('{"conversation":{"id":"19:abc@thread"}}');

    const refused = await ask('stop alerts', ctx({ userId: 'U-guest', isAdmin: false }));
    expect(refused.text).toContain('only admins');
    expect((await bindings()).sort()).toEqual(['slack:C-credits', 'teams:19:abc@thread']);

    expect((await askAndConfirm('stop alerts')).title).toBe('Alerts stopped');
    expect((await askAndConfirm('stop alerts')).title).toBe('No alerts here');
    expect(await bindings()).toEqual(['teams:19:abc@thread']);
  });

  it('explains itself, and says when a workspace is not linked', async () => {
    expect((await ask('help')).text).toContain('when will prod run out?');
    expect((await ask('tell me a joke')).title).toBe("Sorry, I didn't get that");
    const r = await ask('balance', ctx({ tenantId: 'no-such-tenant' }));
    expect(r.text).toContain('This workspace is not linked to a credit tenant');
  });

  it('builds the App Home summary with the tenant and every environment', async () => {
    const r = await conversation.homeSummary(ctx());
    expect(r.title).toBe('Acme Corp: AI credits');
    const all = everywhere(r);
    expect(all).toContain('378,000');
    expect(all).toContain('HR Test (hr-test)');
    expect(all).toContain('Resets');
  });

  it('shows a DUAL tenant its Copilot Credits beside the AI Builder credits (capacity and balance)', async () => {
    const DUAL = 'fabrikam';
    await admin.admin.createTenant({ tenantId: DUAL, displayName: 'Fabrikam', timeZone: 'UTC' });
    await admin.admin.updateTenantSettings({ tenantId: DUAL, thresholds: undefined, licensingModel: LicensingModel.LICENSING_MODEL_DUAL });
    await admin.admin.addEntitlement({ tenantId: DUAL, kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
    await admin.admin.addEntitlement({ tenantId: DUAL, kind: EntitlementKind.ENTITLEMENT_KIND_COPILOT_PACK, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
    await admin.admin.createEnvironment({ tenantId: DUAL, environmentId: 'invoices', displayName: 'Invoices', tenantPoolFallback: false });
    await admin.admin.setAllocation({ tenantId: DUAL, environmentId: 'invoices', credits: 1_000 });
    await admin.admin.setAllocation({ tenantId: DUAL, environmentId: 'invoices', credits: 25_000, currency: Currency.CURRENCY_COPILOT });
    // 1,000 credits use up the AI Builder allocation; a 3-page invoice is then charged 24 Copilot Credits (8 a page), all of it.
    for (const e of [{ credits: 1_000 }, { capability: 'invoice-processing', quantity: 3 }]) {
      await admin.consumption.recordConsumption(
        RecordConsumptionRequest.fromPartial({
          tenantId: DUAL,
          environmentId: 'invoices',
          userId: 'ann',
          idempotencyKey: `e2e-${randomBytes(6).toString('hex')}`,
          occurredAt: new Date('2026-11-19T10:00:00Z'),
          operation: Operation.OPERATION_RUN,
          ...e,
        }),
      );
    }
    const dual = ctx({ tenantId: DUAL });
    const capacity = await ask('how much capacity do we have', dual);
    expect(capacity.text).toBe(
      'Fabrikam has 1,000,000 AI Builder credits of capacity in November 2026: 1,000 AI Builder credits allocated, 999,000 AI Builder credits unassigned. ' +
        'It also has 25,000 Copilot Credits: 25,000 Copilot Credits allocated, 0 Copilot Credits unassigned.',
    );
    // GetBalance.copilot as the proto defines it: 24 drawn, 24,976 left of the 25,000 the environment may draw.
    const balance = await ask('how many credits left in invoices?', dual);
    expect(balance.text.split('\n')[0]).toContain(
      'Invoices (invoices) has 0 of 1,000 AI Builder credits left (1,000 used, 100%) and 24,976 of 25,000 Copilot Credits left (24 used, 0%) in November 2026.',
    );
    const all = everywhere(balance);
    expect(all).toContain('Copilot Credits `░░░░░░░░░░ 0%`');
    expect(all).toContain('"title":"Remaining","value":"24,976 Copilot Credits"');
  });

  it('runs the console channel with piped questions', async () => {
    const questions = ['help', 'balance', 'how many credits left in sales prod?', 'top users', 'when will prod run out?', 'status', 'balance marketing', 'alerts here'];
    const { stdout, stderr, code } = await runConsole(questions.join('\n') + '\n', {
      CREDIT_CORE_ADDR: core.address,
      CREDIT_CORE_ADMIN_KEY: core.adminKey,
      CHATBOT_CORE_KEY: '',
      CHAT_TENANT: TENANT,
      CHAT_USER: 'console-user',
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Allot credits console: tenant Acme Corp (acme: CHAT_TENANT), user console-user.');
    expect(stdout).toContain('type "help"');
    for (const q of questions) expect(stdout).toContain(`> ${q}`);
    expect(stdout).toContain('60,000 of 400,000 credits left (340,000 used, 85%)');
    expect(stdout).toContain('1. alice');
    expect(stdout).toContain('220,000 credits (58%)');
    expect(stdout).toContain('will run out on');
    expect(stdout).toContain('Blocked: HR Test (hr-test)');
    expect(stdout).toContain('Did you mean');
    expect(stdout).toContain('The console cannot receive alerts');
    console.log(stdout);
  });

  it('refuses to start the console without a key, naming the variable', async () => {
    // An empty cache folder: no local key left by `npm start` on this machine either.
    const emptyCache = mkdtempSync(join(tmpdir(), 'allot-no-key-'));
    const { stderr, code } = await runConsole('', { CREDIT_CORE_ADDR: core.address, CHATBOT_CORE_KEY: '', CREDIT_CORE_ADMIN_KEY: '', ALLOT_CACHE_DIR: emptyCache });
    expect(code).toBe(2);
    expect(stderr).toContain('CHATBOT_CORE_KEY');
  });
});

describe('console channel: which tenant without CHAT_TENANT', () => {
  let mongo: RunningService;
  let core: CoreProcess;
  let admin: CoreClient;
  const env = (): Record<string, string> => ({ CREDIT_CORE_ADDR: core.address, CREDIT_CORE_ADMIN_KEY: core.adminKey, CHATBOT_CORE_KEY: '', CHAT_TENANT: '' });
  beforeAll(async () => {
    mongo = await startTestMongo();
    core = await startCoreProcess({ mongodbUri: mongo.url });
    admin = createCoreClient({ address: core.address, apiKey: core.adminKey });
  });
  afterAll(async () => {
    admin?.close();
    await core?.stop();
    await mongo?.stop();
  });

  it('takes the only tenant, then refuses to guess among several, then prefers the demo tenant', async () => {
    await admin.admin.createTenant({ tenantId: 'zeta', displayName: 'Zeta', timeZone: 'UTC' });
    const one = await runConsole('balance\n', env());
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('tenant Zeta (zeta: the only tenant)');

    await admin.admin.createTenant({ tenantId: 'acme', displayName: 'Acme', timeZone: 'UTC' });
    const two = await runConsole('balance\n', env());
    expect(two.code).toBe(1);
    expect(two.stderr).toContain('the credit core has 2 tenants; set CHAT_TENANT to one of them');
    expect(two.stderr).toContain('1. Acme (acme)');
    expect(two.stderr).toContain('2. Zeta (zeta)');

    await admin.admin.createTenant({ tenantId: 'contoso', displayName: 'Contoso', timeZone: 'Europe/Paris' });
    const demo = await runConsole('balance\n', env());
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('tenant Contoso (contoso: the demo tenant; 2 other tenant(s), set CHAT_TENANT for another)');
  });
});
