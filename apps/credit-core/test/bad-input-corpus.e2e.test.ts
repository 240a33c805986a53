/**
 * The bad-input corpus: several hundred bad requests across every RPC, generated from the contract's descriptors
 * (support/request-corpus.ts) plus hand-written ones for the rules no generator knows. Each must get its documented
 * code with a google.rpc.BadRequest naming the field; afterwards every collection hashes as before, the core is
 * SERVING, and the same client channel still answers (a refused call never stalls the calls after it).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metadata, credentials, makeGenericClientConstructor, status, type Client, type ServiceDefinition, type ServiceError } from '@grpc/grpc-js';
import { MongoClient } from 'mongodb';
import {
  AdminServiceService,
  AlertServiceService,
  ConsumptionServiceService,
  EntitlementKind,
  MaintenanceServiceService,
  Operation,
  ReportingServiceService,
  type RecordConsumptionRequest,
} from '@allot/contracts';
import { checkHealth, createCoreClient, toCoreCallError, type CoreClient } from '@allot/grpc-client';
import { startCoreProcess, startTestMongo, type CoreProcess, type RunningService } from '@allot/testing';
import { generatedBadCases, type BadCase } from './support/request-corpus';

const DEFINITIONS: readonly ServiceDefinition[] = [AdminServiceService, ConsumptionServiceService, ReportingServiceService, AlertServiceService, MaintenanceServiceService].map(
  (d) => d as unknown as ServiceDefinition,
);
const TENANT = 'corpus';

/** A plausible request of a method: its defaults with the usual fields filled. */
function baseRequest(path: string): Record<string, unknown> {
  const def = DEFINITIONS.flatMap((d) => Object.values(d)).find((m) => m.path === path);
  const blank = (def?.requestDeserialize(Buffer.alloc(0)) ?? {}) as Record<string, unknown>;
  const fill = (o: Record<string, unknown>): Record<string, unknown> => {
    const set = (k: string, v: unknown): void => {
      if (k in o) o[k] = v;
    };
    set('tenantId', TENANT);
    set('environmentId', 'prod');
    set('userId', 'ada');
    set('idempotencyKey', 'corpus-key');
    set('operation', Operation.OPERATION_RUN);
    set('displayName', 'Corpus');
    set('timeZone', 'UTC');
    set('subscriber', 'corpus-sub');
    set('platform', 'slack');
    set('channelId', 'C-CORPUS');
    return o;
  };
  const request = fill(blank);
  if (Array.isArray(request['events'])) request['events'] = [baseRequest('/credits.v1.ConsumptionService/RecordConsumption')];
  if ('binding' in request) request['binding'] = fill({ tenantId: '', platform: '', channelId: '', reference: '', boundBy: '' });
  return request;
}

interface Outcome {
  readonly code: number;
  readonly field: string | undefined;
  readonly details: string;
}

/** Calls a method by path; raw Buffers go out as they are (what the generated encoder cannot write). */
function call(clients: Map<ServiceDefinition, Client>, path: string, request: Record<string, unknown> | Buffer, key: string): Promise<Outcome> {
  const definition = DEFINITIONS.find((d) => Object.values(d).some((m) => m.path === path));
  const client = definition === undefined ? undefined : clients.get(definition);
  const name = definition === undefined ? undefined : Object.entries(definition).find(([, m]) => m.path === path)?.[0];
  if (client === undefined || name === undefined || definition === undefined) throw new Error(`no method ${path}`);
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${key}`);
  const method = (client as unknown as Record<string, (...args: unknown[]) => unknown>)[name]?.bind(client);
  if (method === undefined) throw new Error(`no client method ${name}`);
  const options = { deadline: new Date(Date.now() + 60_000) };
  const outcome = (e: ServiceError | null): Outcome =>
    e === null ? { code: status.OK, field: undefined, details: '' } : { code: e.code, field: toCoreCallError(e, path).field, details: e.details };
  return new Promise((resolve) => {
    if (definition[name]?.responseStream) {
      const stream = method(request, metadata, options) as NodeJS.EventEmitter & { cancel(): void };
      stream.on('data', () => {
        stream.cancel();
        resolve(outcome(null));
      });
      stream.on('error', (e: ServiceError) => resolve(e.code === status.CANCELLED ? outcome(null) : outcome(e)));
      stream.on('end', () => resolve(outcome(null)));
      return;
    }
    method(request, metadata, options, (e: ServiceError | null) => resolve(outcome(e)));
  });
}

/** Hand-written cases: rules of particular RPCs (docs/api.md), each with its code and field. */
const handWritten = (): Array<BadCase & { readonly code: number }> => {
  const rc = '/credits.v1.ConsumptionService/RecordConsumption';
  const invalid = (path: string, what: string, over: Record<string, unknown>, field: string): BadCase & { code: number } => ({
    path,
    what,
    request: { ...baseRequest(path), ...over },
    field,
    code: status.INVALID_ARGUMENT,
  });
  return [
    invalid(rc, 'credits together with capability + quantity', { credits: 10, capability: 'prompt-standard-input', quantity: 1000 }, 'capability'),
    invalid(rc, 'negative credits', { credits: -1 }, 'credits'),
    invalid(rc, 'no amount at all', { credits: undefined }, 'credits'),
    invalid(rc, 'unknown operation', { credits: 1, operation: 99 }, 'operation'),
    invalid(rc, 'unknown capability', { credits: undefined, capability: 'no-such-capability', quantity: 5 }, 'capability'),
    invalid(rc, 'empty idempotency key', { credits: 1, idempotencyKey: '' }, 'idempotency_key'),
    invalid(rc, 'an event a day in the future', { credits: 1, occurredAt: new Date(Date.now() + 86_400_000) }, 'occurred_at'),
    invalid('/credits.v1.ReportingService/GetBalance', 'period 9999-12 (its end is past year 9999)', { period: '9999-12' }, 'period'),
    invalid('/credits.v1.ReportingService/GetBalance', 'period not YYYY-MM', { period: '2026-13' }, 'period'),
    invalid('/credits.v1.ReportingService/GetUsageReport', 'a long period', { period: 'y'.repeat(1_000_000) }, 'period'),
    invalid('/credits.v1.AlertService/UnbindChannel', 'empty channel_id', { channelId: '' }, 'channel_id'),
    invalid('/credits.v1.AlertService/AckAlerts', 'a cursor far past the newest alert', { cursor: 1_000_000_000 }, 'cursor'),
    invalid('/credits.v1.AlertService/AckAlerts', 'a negative cursor', { cursor: -5 }, 'cursor'),
    invalid('/credits.v1.AdminService/CreateTenant', 'an unknown time zone', { tenantId: 'corpus-2', timeZone: 'Mars/Olympus' }, 'time_zone'),
    invalid('/credits.v1.AdminService/SetAllocation', 'negative credits', { credits: -10 }, 'credits'),
    invalid('/credits.v1.AdminService/AddEntitlement', 'last period before the first', { kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, quantity: 1, firstPeriod: '2026-12', lastPeriod: '2026-01' }, 'last_period'),
    invalid('/credits.v1.AdminService/AddEntitlement', 'a license SKU not in the catalog', { kind: EntitlementKind.ENTITLEMENT_KIND_LICENSE, sku: 'NO_SUCH_SKU', quantity: 1 }, 'sku'),
    invalid('/credits.v1.AdminService/AddEntitlement', 'add-ons worth more than 2^53-1 credits', { kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, quantity: 9_007_199_255 }, 'quantity'),
    invalid('/credits.v1.AdminService/AddEntitlement', 'last_period 9999-12', { kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, quantity: 1, lastPeriod: '9999-12' }, 'last_period'),
  ];
};

describe('bad-input corpus', () => {
  let mongo: RunningService;
  let core: CoreProcess;
  let admin: CoreClient;
  let driver: MongoClient;
  const clients = new Map<ServiceDefinition, Client>();

  /**
   * A hash of every collection's documents, in _id order, by collection. A tenant's lease is left out: its owner
   * renews it every second whatever the requests (docs/scale.md).
   */
  const databaseHashes = async (): Promise<Record<string, string>> => {
    const db = driver.db();
    const out: Record<string, string> = {};
    const names = (await db.listCollections().toArray()).map((c) => c.name).sort();
    for (const name of names) {
      const h = createHash('sha256');
      for (const doc of await db.collection(name).find({}).sort({ _id: 1 }).toArray()) {
        if (name === 'tenants') delete doc['lease'];
        h.update(JSON.stringify(doc));
      }
      out[name] = h.digest('hex');
    }
    return out;
  };

  beforeAll(async () => {
    mongo = await startTestMongo();
    core = await startCoreProcess({ mongodbUri: mongo.url });
    admin = createCoreClient({ address: core.address, apiKey: core.adminKey });
    driver = new MongoClient(mongo.url);
    await admin.admin.createTenant({ tenantId: TENANT, displayName: 'Corpus', timeZone: 'UTC' });
    await admin.admin.addEntitlement({ tenantId: TENANT, kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
    await admin.admin.createEnvironment({ tenantId: TENANT, environmentId: 'prod', displayName: 'Production', tenantPoolFallback: false });
    await admin.admin.setAllocation({ tenantId: TENANT, environmentId: 'prod', credits: 100_000 });
    await admin.consumption.recordConsumption({ ...(baseRequest('/credits.v1.ConsumptionService/RecordConsumption') as unknown as RecordConsumptionRequest), idempotencyKey: 'corpus-seed', credits: 500, occurredAt: new Date(Date.now() - 60_000) });
    for (const d of DEFINITIONS) {
      const raw: Record<string, ServiceDefinition[string]> = {};
      for (const [name, m] of Object.entries(d)) {
        const encode = m.requestSerialize;
        raw[name] = { ...m, requestSerialize: (v: unknown) => (Buffer.isBuffer(v) ? v : encode(v as never)) };
      }
      const Ctor = makeGenericClientConstructor(raw as ServiceDefinition, 'corpus');
      clients.set(d, new Ctor(core.address, credentials.createInsecure()));
    }
  });
  afterAll(async () => {
    for (const c of clients.values()) c.close();
    await driver?.close();
    admin?.close();
    await core?.stop();
    await mongo?.stop();
  });

  it('refuses every bad request with its code and field, and changes nothing', { timeout: 600_000 }, async () => {
    const generated = generatedBadCases(baseRequest, DEFINITIONS).map((c) => ({ ...c, code: status.INVALID_ARGUMENT }));
    const cases = [...generated, ...handWritten()];
    const rpcs = new Set(cases.map((c) => c.path));
    // Let the seed event's projections reach the database first (they are written a few ms after the answer).
    await new Promise((r) => setTimeout(r, 500));
    const before = await databaseHashes();
    const wrong: string[] = [];
    for (const c of cases) {
      const got = await call(clients, c.path, c.request, core.adminKey);
      if (got.code !== c.code || got.field !== c.field) {
        wrong.push(`${c.path} ${c.what}: ${status[got.code]} field=${got.field ?? '-'} (${got.details.slice(0, 120)}), expected ${status[c.code]} field=${c.field}`);
      } else if (got.details.length > 1_100) {
        wrong.push(`${c.path} ${c.what}: a ${got.details.length}-character message`);
      }
    }
    console.log(`bad-input corpus: ${cases.length} bad requests (${generated.length} generated) over ${rpcs.size} RPCs; ${cases.length - wrong.length} refused as documented`);
    expect(wrong).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(300);
    expect(await databaseHashes()).toEqual(before);
    expect(await checkHealth(core.address)).toBe('SERVING');
    // The channel that carried every refusal still answers at once.
    const after = await call(clients, '/credits.v1.ReportingService/GetBalance', baseRequest('/credits.v1.ReportingService/GetBalance'), core.adminKey);
    expect(after.code).toBe(status.OK);
  });

  it('refuses a message above 4 MB without hurting the next call', async () => {
    const huge = { ...baseRequest('/credits.v1.AdminService/CreateTenant'), displayName: 'z'.repeat(5 * 1024 * 1024) };
    const got = await call(clients, '/credits.v1.AdminService/CreateTenant', huge, core.adminKey);
    expect(got.code).toBe(status.RESOURCE_EXHAUSTED);
    const next = await call(clients, '/credits.v1.AdminService/GetTenant', baseRequest('/credits.v1.AdminService/GetTenant'), core.adminKey);
    expect(next.code).toBe(status.OK);
  });
});
