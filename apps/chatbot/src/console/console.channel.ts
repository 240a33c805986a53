/**
 * The console channel: a readline prompt on the same conversation core as Slack and Teams, so anyone can try
 * every question without an account. Interactive on a terminal; with piped stdin it answers each line, echoing
 * the question, and ends at EOF, which makes it scriptable for demos and tests.
 */
import { createInterface } from 'node:readline';
import { status } from '@grpc/grpc-js';
import { CoreCallError } from '@allot/grpc-client';
import type { CoreClient } from '@allot/grpc-client';
import type { Conversation, ConversationContext } from '../conversation/conversation.types';
import { toPlainText } from '../render/plain-text.renderer';
import { decideConsoleTenant, pickTenant } from './console-tenant';
import { consoleKeyIsAdmin } from './console-admin';

export interface ConsoleOptions {
  readonly conversation: Conversation;
  readonly core: CoreClient;
  /** From CHAT_TENANT; undefined: the only tenant, else the demo tenant, else a question (console-tenant.ts). */
  readonly tenantId: string | undefined;
  readonly userId: string;
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** Prompt and no echo (a terminal), or echo each question (piped input). */
  readonly interactive: boolean;
}

/** Why the console cannot start (no tenant, core unreachable); the message says what to change. */
export class ConsoleStartError extends Error {
  override readonly name = 'ConsoleStartError';
}

const describeCoreError = (e: unknown, address: string): string => {
  if (e instanceof CoreCallError) {
    if (e.code === status.UNAVAILABLE || e.code === status.DEADLINE_EXCEEDED)
      return `cannot reach the credit core at ${address} (CREDIT_CORE_ADDR); is it running? (npm run start:core)`;
    if (e.code === status.UNAUTHENTICATED || e.code === status.PERMISSION_DENIED)
      return `the credit core refused the API key (CHATBOT_CORE_KEY / CREDIT_CORE_ADMIN_KEY): ${e.details}`;
    return `the credit core failed: ${e.details}`;
  }
  return e instanceof Error ? e.message : String(e);
};

/** Asks a question on the prompt and resolves with the answer (undefined at EOF). */
type Ask = (question: string) => Promise<string | undefined>;

/**
 * The tenant the console talks about: CHAT_TENANT, else the rule of console-tenant.ts (the only tenant, else the
 * demo tenant, else a question; with piped input, which cannot answer, an error listing the tenants).
 */
export async function resolveConsoleTenant(
  core: CoreClient,
  tenantId: string | undefined,
  address: string,
  ask?: Ask,
): Promise<{ tenantId: string; name: string; why: string }> {
  try {
    if (tenantId !== undefined) {
      const r = await core.admin.getTenant({ tenantId });
      return { tenantId, name: r.tenant?.displayName || tenantId, why: 'CHAT_TENANT' };
    }
    const { tenants } = await core.admin.listTenants({});
    const decision = decideConsoleTenant(tenants.map((t) => ({ tenantId: t.tenantId, name: t.displayName || t.tenantId })));
    if (decision.kind === 'none') throw new ConsoleStartError('the credit core has no tenant yet; run `npm run demo`, create one, or set CHAT_TENANT');
    if (decision.kind === 'chosen') return { ...decision.tenant, why: decision.why };
    const list = decision.tenants.map((t, i) => `  ${i + 1}. ${t.name} (${t.tenantId})`).join('\n');
    if (ask === undefined) {
      throw new ConsoleStartError(`the credit core has ${decision.tenants.length} tenants; set CHAT_TENANT to one of them:\n${list}`);
    }
    for (;;) {
      const answer = await ask(`Which tenant? (number or id)\n${list}\n> `);
      if (answer === undefined) throw new ConsoleStartError('no tenant chosen; set CHAT_TENANT to skip the question');
      const picked = pickTenant(answer, decision.tenants);
      if (picked !== undefined) return { ...picked, why: 'chosen at the prompt' };
    }
  } catch (e) {
    if (e instanceof ConsoleStartError) throw e;
    if (e instanceof CoreCallError && e.code === status.NOT_FOUND && tenantId !== undefined) {
      throw new ConsoleStartError(`CHAT_TENANT=${tenantId}: no such tenant in the credit core`);
    }
    throw new ConsoleStartError(describeCoreError(e, address));
  }
}

const EXIT_WORDS = new Set(['exit', 'quit', 'bye', ':q']);

/** Runs the prompt until EOF or "exit". */
export async function runConsole(options: ConsoleOptions & { readonly coreAddress: string }): Promise<void> {
  const { conversation, output, interactive } = options;
  const write = (s: string): void => {
    output.write(`${s}\n`);
  };
  const rl = createInterface({ input: options.input, ...(interactive ? { output, prompt: 'credits> ' } : {}), terminal: interactive });
  const lines = rl[Symbol.asyncIterator]();
  const ask: Ask = async (question) => {
    output.write(question);
    const next = await lines.next();
    return next.done === true ? undefined : next.value;
  };
  let tenant;
  try {
    tenant = await resolveConsoleTenant(options.core, options.tenantId, options.coreAddress, interactive ? ask : undefined);
  } catch (e) {
    rl.close();
    throw e;
  }
  // The operator is an admin when the key they run the console with has the ADMIN role.
  const isAdmin = await consoleKeyIsAdmin(options.core);
  const context: ConversationContext = {
    tenantId: tenant.tenantId,
    userId: options.userId,
    isAdmin,
    channel: { platform: 'console', channelId: 'console' },
  };
  write(`Allot credits console: tenant ${tenant.name} (${tenant.tenantId}: ${tenant.why}), user ${options.userId}.`);
  if (isAdmin) write('Your key has the ADMIN role: you may change allocations; every change is previewed and waits for "yes" or "no".');
  write(`Ask about credits in plain words; type "help" for examples${interactive ? ', "exit" to leave' : ''}.`);
  if (interactive) rl.prompt();
  for (let next = await lines.next(); next.done !== true; next = await lines.next()) {
    const line = next.value.trim();
    if (line === '') {
      if (interactive) rl.prompt();
      continue;
    }
    if (EXIT_WORDS.has(line.toLowerCase())) break;
    if (!interactive) write(`\n> ${line}`);
    const reply = await conversation.handle(line, context);
    write(toPlainText(reply));
    if (interactive) {
      write('');
      rl.prompt();
    }
  }
  rl.close();
}
