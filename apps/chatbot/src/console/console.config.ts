import { z } from 'zod';

/** Configuration of the console channel (`npm run chat`), read once from the environment by console.ts. */
export interface ConsoleConfig {
  /** host:port of the credit core. @defaultValue '127.0.0.1:50051' */
  readonly coreAddress: string;
  /** CHATBOT_CORE_KEY, or CREDIT_CORE_ADMIN_KEY when the bot has no key of its own. */
  readonly coreApiKey: string;
  /** Credit tenant to talk about; undefined: the only tenant, else the demo tenant, else a question (console-tenant.ts). */
  readonly tenantId: string | undefined;
  /** Who is asking (for "my trial"). @defaultValue 'console-user' */
  readonly userId: string;
}

/** A missing or malformed variable; the message names it. */
export class ConsoleConfigError extends Error {
  override readonly name = 'ConsoleConfigError';
  readonly code = 'CHATBOT.CONSOLE_CONFIG_INVALID';
}

// An exported-but-empty variable (`CHAT_TENANT=`) means "not set", as shells make that easy to do by accident.
const optional = z
  .string()
  .optional()
  .transform((v) => (v !== undefined && v.trim() !== '' ? v.trim() : undefined));

const schema = z.object({
  CREDIT_CORE_ADDR: optional.pipe(
    z
      .string()
      .regex(/^[^:\s]+:\d{1,5}$/, 'CREDIT_CORE_ADDR must be host:port, e.g. 127.0.0.1:50051')
      .optional(),
  ),
  CHATBOT_CORE_KEY: optional,
  CREDIT_CORE_ADMIN_KEY: optional,
  CHAT_TENANT: optional.pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'CHAT_TENANT must be a tenant id such as acme').optional()),
  CHAT_USER: optional,
});

/**
 * Parses the environment; throws ConsoleConfigError naming every bad variable. localDevKey: the key `npm start`
 * generated on this machine, used when no key variable is set.
 */
export function loadConsoleConfig(env: Record<string, string | undefined>, localDevKey?: string): ConsoleConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new ConsoleConfigError(`invalid console configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const coreApiKey = e.CHATBOT_CORE_KEY ?? e.CREDIT_CORE_ADMIN_KEY ?? localDevKey;
  if (coreApiKey === undefined) {
    throw new ConsoleConfigError(
      'invalid console configuration:\n  - CHATBOT_CORE_KEY: required, the API key the bot uses for the credit core (CREDIT_CORE_ADMIN_KEY is used when it is not set)',
    );
  }
  return {
    coreAddress: e.CREDIT_CORE_ADDR ?? '127.0.0.1:50051',
    coreApiKey,
    tenantId: e.CHAT_TENANT,
    userId: e.CHAT_USER ?? 'console-user',
  };
}
