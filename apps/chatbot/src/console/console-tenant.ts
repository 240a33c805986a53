/**
 * Which tenant `npm run chat` talks about when CHAT_TENANT is not set. The rule a user expects after the README's
 * Quick start: the only tenant if there is one; otherwise the demo tenant `npm run demo` seeds; otherwise ask.
 */

/** The tenant `npm run demo` creates (tools/demo/seed-demo.ts). */
export const DEMO_TENANT_ID = 'contoso';

export interface TenantChoice {
  readonly tenantId: string;
  readonly name: string;
}

export type ConsoleTenantDecision =
  | { readonly kind: 'chosen'; readonly tenant: TenantChoice; readonly why: string }
  | { readonly kind: 'ask'; readonly tenants: readonly TenantChoice[] }
  | { readonly kind: 'none' };

/** Applies the rule to the tenants the key can see (any order). */
export function decideConsoleTenant(tenants: readonly TenantChoice[]): ConsoleTenantDecision {
  const sorted = [...tenants].sort((a, b) => a.tenantId.localeCompare(b.tenantId));
  const [only] = sorted;
  if (only === undefined) return { kind: 'none' };
  if (sorted.length === 1) return { kind: 'chosen', tenant: only, why: 'the only tenant' };
  const demo = sorted.find((t) => t.tenantId === DEMO_TENANT_ID);
  if (demo !== undefined) {
    return { kind: 'chosen', tenant: demo, why: `the demo tenant; ${sorted.length - 1} other tenant(s), set CHAT_TENANT for another` };
  }
  return { kind: 'ask', tenants: sorted };
}

/**
 * Reads an answer to the "which tenant?" question: a number from the list or a tenant id. Undefined when the
 * answer matches nothing.
 */
export function pickTenant(answer: string, tenants: readonly TenantChoice[]): TenantChoice | undefined {
  const a = answer.trim();
  if (/^\d+$/.test(a)) return tenants[Number(a) - 1];
  return tenants.find((t) => t.tenantId === a) ?? tenants.find((t) => t.name.toLowerCase() === a.toLowerCase());
}
