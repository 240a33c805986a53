import { z } from 'zod';

/** Which credit tenant a Slack workspace or Teams tenant belongs to, from `slack:T0123=acme,teams:72f988bf=acme`. */
export interface TenantMapping {
  readonly platform: 'slack' | 'teams';
  readonly externalId: string;
  readonly tenantId: string;
}

export interface SlackConfig {
  readonly botToken: string;
  readonly signingSecret: string;
  /** Web API base URL (ends with '/'). @defaultValue 'https://slack.com/api/' */
  readonly apiUrl?: string;
}

export interface TeamsConfig {
  /** Empty: requests are not authenticated (botbuilder's local emulation mode). */
  readonly appId: string;
  readonly appPassword: string;
  readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  readonly appTenantId?: string;
}

export interface ChatbotConfig {
  /** @defaultValue 3978 */
  readonly port: number;
  /** @defaultValue '0.0.0.0' */
  readonly host: string;
  readonly slack?: SlackConfig;
  readonly teams?: TeamsConfig;
  readonly tenants: readonly TenantMapping[];
  /** Platform user ids (Slack U..., Teams AAD object ids) allowed to bind channels. */
  readonly admins: readonly string[];
  readonly coreAddress: string;
  readonly coreApiKey: string;
  /** How often the bound channels are listed again. @defaultValue 15000 */
  readonly bindingRefreshMs: number;
}

/** A configuration variable that is missing or malformed; the message names it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CHATBOT.CONFIG_INVALID';
}

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min).max(max))
    .optional();

const tenantsSchema = z
  .string()
  .optional()
  .transform((raw, ctx): TenantMapping[] => {
    const out: TenantMapping[] = [];
    for (const part of (raw ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
      const match = /^(slack|teams):([^=\s]+)=([A-Za-z0-9_.-]+)$/.exec(part);
      if (!match?.[1] || !match[2] || !match[3]) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not platform:workspace=tenant (e.g. slack:T0123=acme)` });
        return z.NEVER;
      }
      out.push({ platform: match[1] as 'slack' | 'teams', externalId: match[2], tenantId: match[3] });
    }
    return out;
  });

const envSchema = z.object({
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_API_URL: optionalString.pipe(z.url().optional()),
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: optionalString.pipe(z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional()),
  MicrosoftAppTenantId: optionalString,
  CHATBOT_TEAMS_EMULATOR: optionalString.pipe(z.enum(['true', 'false']).optional()),
  CHATBOT_PORT: optionalString.pipe(integer(0, 65535)),
  CHATBOT_HOST: optionalString,
  CHATBOT_TENANTS: tenantsSchema,
  CHATBOT_ADMINS: optionalString,
  CHATBOT_BINDING_REFRESH_MS: optionalString.pipe(integer(100, 3_600_000)),
  CREDIT_CORE_ADDR: optionalString.pipe(
    z
      .string()
      .regex(/^[^:\s]+:\d+$/, 'must be host:port')
      .optional(),
  ),
  CHATBOT_CORE_KEY: optionalString.pipe(z.string({ error: 'is required (the bot\'s API key for the core)' })),
});

/**
 * Reads and validates the bot's environment once. Slack is enabled when its token and signing secret are set,
 * Teams when MicrosoftAppId is set (or CHATBOT_TEAMS_EMULATOR=true for unauthenticated local emulation).
 * @throws ConfigError naming the first bad variable.
 */
export function parseConfig(env: Record<string, string | undefined>): ChatbotConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`${name} ${issue?.message ?? 'is invalid'}`);
  }
  const e = parsed.data;
  if (Boolean(e.SLACK_BOT_TOKEN) !== Boolean(e.SLACK_SIGNING_SECRET)) {
    const missing = e.SLACK_BOT_TOKEN ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN';
    throw new ConfigError(`${missing} is required when Slack is configured (set both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)`);
  }
  if (e.MicrosoftAppId && !e.MicrosoftAppPassword && e.MicrosoftAppType !== 'UserAssignedMSI') {
    throw new ConfigError('MicrosoftAppPassword is required when MicrosoftAppId is set');
  }
  const slack: SlackConfig | undefined =
    e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL } : {}),
        }
      : undefined;
  const teams: TeamsConfig | undefined =
    e.MicrosoftAppId || e.CHATBOT_TEAMS_EMULATOR === 'true'
      ? {
          appId: e.MicrosoftAppId ?? '',
          appPassword: e.MicrosoftAppPassword ?? '',
          appType: e.MicrosoftAppType ?? 'MultiTenant',
          ...(e.MicrosoftAppTenantId ? { appTenantId: e.MicrosoftAppTenantId } : {}),
        }
      : undefined;
  return {
    port: e.CHATBOT_PORT ?? 3978,
    host: e.CHATBOT_HOST ?? '0.0.0.0',
    ...(slack ? { slack } : {}),
    ...(teams ? { teams } : {}),
    tenants: e.CHATBOT_TENANTS,
    admins: (e.CHATBOT_ADMINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    coreAddress: e.CREDIT_CORE_ADDR ?? '127.0.0.1:50051',
    coreApiKey: e.CHATBOT_CORE_KEY,
    bindingRefreshMs: e.CHATBOT_BINDING_REFRESH_MS ?? 15_000,
  };
}
