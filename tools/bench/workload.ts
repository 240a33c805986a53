/**
 * The bench's tenants (created through the admin API) and its ghz request templates. Every event's content is a
 * function of (request number, index in the batch) only, so a duplicate is byte-for-byte a retry of its original,
 * and bench.ts can recompute exactly which keys and credits the ledger must hold.
 */
import { EntitlementKind, SetAllocationRequest } from '@allot/contracts';
import type { CoreClient } from '@allot/grpc-client';

export const BATCH = 1_000;
/** 100 tenants (x 100 environments = 10,000 environments in the full run). */
export const MANY_TENANTS = 100;
/** Every 20th event of a multi-tenant batch (5%) is a retry of an event of the previous call. */
export const DUP_EVERY = 20;

export const manyTenantId = (run: string, t: number) => `bt-${run}-${t}`;
export const envId = (e: number) => `env-${e}`;

/** Credits of event j of a batch: 1, 2 or 3. */
export const creditsOf = (j: number) => 1 + (j % 3);

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/** A tenant with a billion credits (1,000 add-on units) and `envs` environments, each allocated 5,000,000. */
export async function createTenant(client: CoreClient, tenantId: string, envs: number): Promise<void> {
  const slow = { timeoutMs: 60_000 };
  await client.admin.createTenant({ tenantId, displayName: tenantId, timeZone: '' }, slow);
  await client.admin.addEntitlement({
    tenantId,
    kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON,
    sku: '',
    quantity: 1_000,
    firstPeriod: '',
    lastPeriod: '',
  }, slow);
  await pool(
    Array.from({ length: envs }, (_, e) => e),
    4,
    async (e) => {
      await client.admin.createEnvironment({ tenantId, environmentId: envId(e), displayName: envId(e), tenantPoolFallback: false }, slow);
      await client.admin.setAllocation(SetAllocationRequest.fromPartial({ tenantId, environmentId: envId(e), credits: 5_000_000 }), slow);
    },
  );
}

/** The 100 tenants of the multi-tenant scenario with `envs` environments each (4 tenants at a time). */
export async function createManyTenants(client: CoreClient, run: string, envs: number): Promise<string[]> {
  const ids = Array.from({ length: MANY_TENANTS }, (_, t) => manyTenantId(run, t));
  await pool(ids, 4, (id) => createTenant(client, id, envs));
  return ids;
}

/**
 * ghz executes the data as a template only when its top level holds an action ({{range}} alone does not count),
 * so batch templates start with one that prints nothing.
 */
const TEMPLATED = '{{""}}';

const event = (tenant: string, env: string, user: string, key: string, credits: string) =>
  `{"tenantId":"${tenant}","environmentId":"${env}","userId":${user},"idempotencyKey":${key},"operation":"OPERATION_RUN","credits":${credits}}`;

/** Batches of 1,000 events for one tenant and environment; keys `<prefix>-<request>-<j>`. */
export function singleTenantBatch(tenantId: string, prefix: string): string {
  const e = event(tenantId, envId(0), '"u{{mod $j 10}}"', `"${prefix}-{{$.RequestNumber}}-{{$j}}"`, '{{add 1 (mod $j 3)}}');
  return `${TEMPLATED}{"events":[{{range $j := until ${BATCH}}}{{if $j}},{{end}}${e}{{end}}]}`;
}

/**
 * Batches of 1,000 events over 100 tenants and their environments: event j of call r is global event
 * g = r*1000 + j, for tenant g mod 100 and environment (g / 100) mod envs. Every 20th event (j mod 20 = 19)
 * of a call after the first instead retries event (r-1, j-1) exactly: same key, tenant, environment, user and
 * credits.
 */
export function manyTenantBatch(run: string, prefix: string, envs: number): string {
  // $r, $k: the (request, index) the event's content comes from.
  const body =
    `{{$r := $.RequestNumber}}{{$k := $j}}{{if and (gt $.RequestNumber 0) (eq (mod $j ${DUP_EVERY}) ${DUP_EVERY - 1})}}{{$r = sub $.RequestNumber 1}}{{$k = sub $j 1}}{{end}}` +
    `{{$g := add (mul $r ${BATCH}) $k}}` +
    event(
      `bt-${run}-{{mod $g ${MANY_TENANTS}}}`,
      `env-{{mod (div $g ${MANY_TENANTS}) ${envs}}}`,
      '"u{{mod $k 10}}"',
      `"${prefix}-{{$r}}-{{$k}}"`,
      '{{add 1 (mod $k 3)}}',
    );
  return `${TEMPLATED}{"events":[{{range $j := until ${BATCH}}}{{if $j}},{{end}}${body}{{end}}]}`;
}

/**
 * What `calls` successful calls of manyTenantBatch (request numbers 0..calls-1) put in the ledger: per tenant,
 * unique events and credits.
 */
export function expectedManyTenants(calls: number): { events: Map<number, number>; credits: Map<number, number> } {
  const events = new Map<number, number>();
  const credits = new Map<number, number>();
  const seen = new Set<string>();
  for (let r = 0; r < calls; r++) {
    for (let j = 0; j < BATCH; j++) {
      const dup = r > 0 && j % DUP_EVERY === DUP_EVERY - 1;
      const [rr, k] = dup ? [r - 1, j - 1] : [r, j];
      const key = `${rr}-${k}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const t = (rr * BATCH + k) % MANY_TENANTS;
      events.set(t, (events.get(t) ?? 0) + 1);
      credits.set(t, (credits.get(t) ?? 0) + creditsOf(k));
    }
  }
  return { events, credits };
}

/** Sum of credits of one single-tenant batch. */
export const singleBatchCredits = (): number => Array.from({ length: BATCH }, (_, j) => creditsOf(j)).reduce((a, b) => a + b, 0);

/** One unary event; key `<prefix>-<request>`, credits 1. */
export function unaryEvent(tenantId: string, prefix: string): string {
  return event(tenantId, envId(0), '"u1"', `"${prefix}-{{.RequestNumber}}"`, '1');
}
