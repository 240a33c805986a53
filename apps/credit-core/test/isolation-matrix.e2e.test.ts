/**
 * The isolation matrix: every RPC of the contract, streams included, called with no key, a garbage key, a revoked
 * key, another tenant's admin key, a READER key on writes and an INGEST key on admin RPCs. Each must be refused
 * with the documented code before anything is read or written (docs/api.md, Authentication), tenant A's data must
 * be unchanged afterwards, and no key may appear in the core's log.
 *
 * The RPC list comes from the generated service definitions, so a new RPC fails this test until it is given its
 * permission in PERMISSIONS below.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metadata, credentials, makeGenericClientConstructor, status, type Client, type ServiceDefinition, type ServiceError } from '@grpc/grpc-js';
import {
  AdminServiceService,
  AlertServiceService,
  ConsumptionServiceService,
  EntitlementKind,
  MaintenanceServiceService,
  ReportingServiceService,
  Role,
} from '@allot/contracts';
import { createCoreClient, type CoreClient } from '@allot/grpc-client';
import { startCoreProcess, startTestMongo, type CoreProcess, type RunningService } from '@allot/testing';

/** What each RPC needs (docs/api.md): the least role, and whether a tenant-scoped key may call it at all. */
type Need = { role: 'READER' | 'INGEST' | 'ADMIN'; scope: 'tenant' | 'unscoped-only' | 'own-only' };
const PERMISSIONS: Readonly<Record<string, Need>> = {
  '/credits.v1.AdminService/CreateTenant': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.AdminService/GetTenant': { role: 'READER', scope: 'tenant' },
  '/credits.v1.AdminService/ListTenants': { role: 'READER', scope: 'own-only' },
  '/credits.v1.AdminService/UpdateTenantSettings': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.AdminService/CreateEnvironment': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.AdminService/UpdateEnvironmentSettings': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.AdminService/ListEnvironments': { role: 'READER', scope: 'tenant' },
  '/credits.v1.AdminService/AddEntitlement': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.AdminService/EndEntitlement': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.AdminService/ListEntitlements': { role: 'READER', scope: 'tenant' },
  '/credits.v1.AdminService/SetAllocation': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.AdminService/GetCapacity': { role: 'READER', scope: 'tenant' },
  '/credits.v1.AdminService/SetSourceLimit': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.AdminService/StartTrial': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.AdminService/ExtendTrial': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.AdminService/CreateApiKey': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.AdminService/RevokeApiKey': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.AdminService/ListAuditEntries': { role: 'READER', scope: 'tenant' },
  '/credits.v1.AdminService/GetCaller': { role: 'READER', scope: 'own-only' },
  '/credits.v1.ConsumptionService/RecordConsumption': { role: 'INGEST', scope: 'tenant' },
  '/credits.v1.ConsumptionService/RecordConsumptionBatch': { role: 'INGEST', scope: 'tenant' },
  '/credits.v1.ConsumptionService/CheckAccess': { role: 'INGEST', scope: 'tenant' },
  '/credits.v1.ConsumptionService/ReserveCredits': { role: 'INGEST', scope: 'tenant' },
  '/credits.v1.ConsumptionService/CommitReservation': { role: 'INGEST', scope: 'tenant' },
  '/credits.v1.ConsumptionService/ReleaseReservation': { role: 'INGEST', scope: 'tenant' },
  '/credits.v1.ReportingService/GetBalance': { role: 'READER', scope: 'tenant' },
  '/credits.v1.ReportingService/ListEnvironmentBalances': { role: 'READER', scope: 'tenant' },
  '/credits.v1.ReportingService/GetUsageReport': { role: 'READER', scope: 'tenant' },
  '/credits.v1.ReportingService/GetForecast': { role: 'READER', scope: 'tenant' },
  '/credits.v1.ReportingService/ExportUsageCsv': { role: 'READER', scope: 'tenant' },
  '/credits.v1.AlertService/WatchAlerts': { role: 'READER', scope: 'tenant' },
  '/credits.v1.AlertService/AckAlerts': { role: 'INGEST', scope: 'own-only' },
  '/credits.v1.AlertService/GetAlertCursor': { role: 'READER', scope: 'own-only' },
  '/credits.v1.AlertService/ListAlerts': { role: 'READER', scope: 'tenant' },
  '/credits.v1.AlertService/BindChannel': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.AlertService/UnbindChannel': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.AlertService/ListChannelBindings': { role: 'READER', scope: 'tenant' },
  '/credits.v1.MaintenanceService/ClosePeriod': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.MaintenanceService/RunTrialMaintenance': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.MaintenanceService/ListTrials': { role: 'READER', scope: 'tenant' },
  '/credits.v1.MaintenanceService/Reconcile': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.MaintenanceService/RaiseForecastAlerts': { role: 'ADMIN', scope: 'tenant' },
  '/credits.v1.MaintenanceService/SetTestClock': { role: 'ADMIN', scope: 'unscoped-only' },
  '/credits.v1.MaintenanceService/Ping': { role: 'READER', scope: 'own-only' },
};

const SERVICES: ReadonlyArray<[string, ServiceDefinition]> = [
  ['AdminService', AdminServiceService as unknown as ServiceDefinition],
  ['ConsumptionService', ConsumptionServiceService as unknown as ServiceDefinition],
  ['ReportingService', ReportingServiceService as unknown as ServiceDefinition],
  ['AlertService', AlertServiceService as unknown as ServiceDefinition],
  ['MaintenanceService', MaintenanceServiceService as unknown as ServiceDefinition],
];

const TENANT_A = 'iso-a';
const TENANT_B = 'iso-b';

interface Rpc {
  readonly path: string;
  readonly name: string;
  readonly service: ServiceDefinition;
  readonly responseStream: boolean;
  readonly need: Need | undefined;
}

const RPCS: readonly Rpc[] = SERVICES.flatMap(([, service]) =>
  Object.entries(service).map(([name, def]) => ({ path: def.path, name, service, responseStream: def.responseStream, need: PERMISSIONS[def.path] })),
);

/** A plausible request for tenant A: the message's defaults with its usual fields filled, so only the key decides. */
function requestFor(rpc: Rpc, refs: { readerKeyIdOfA: string }): Record<string, unknown> {
  const def = (rpc.service as Record<string, { requestDeserialize: (b: Buffer) => unknown }>)[rpc.name];
  const blank = (def?.requestDeserialize(Buffer.alloc(0)) ?? {}) as Record<string, unknown>;
  const fill = (o: Record<string, unknown>): Record<string, unknown> => {
    const set = (k: string, v: unknown): void => {
      if (k in o) o[k] = v;
    };
    set('tenantId', TENANT_A);
    set('environmentId', 'prod');
    set('userId', 'ada');
    set('idempotencyKey', `iso-${rpc.name}`);
    set('operation', 1);
    set('credits', 10);
    set('displayName', 'Isolation');
    set('timeZone', 'UTC');
    set('kind', EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON);
    set('quantity', 1);
    set('subscriber', 'iso-subscriber');
    set('role', Role.ROLE_READER);
    set('keyId', refs.readerKeyIdOfA);
    set('platform', 'slack');
    set('channelId', 'C-ISO');
    return o;
  };
  const request = fill(blank);
  if (Array.isArray(request['events'])) {
    const eventDef = (ConsumptionServiceService as unknown as Record<string, { requestDeserialize: (b: Buffer) => unknown }>)['recordConsumption'];
    request['events'] = [fill({ ...((eventDef?.requestDeserialize(Buffer.alloc(0)) ?? {}) as Record<string, unknown>), idempotencyKey: 'iso-batch' })];
  }
  if ('binding' in request) request['binding'] = fill({ tenantId: '', platform: '', channelId: '', reference: '', boundBy: '' });
  return request;
}

/** Calls one RPC with the given key (undefined: no authorization metadata) and returns the status code. */
function callWith(client: Client, rpc: Rpc, request: Record<string, unknown>, key: string | undefined): Promise<number> {
  const metadata = new Metadata();
  if (key !== undefined) metadata.set('authorization', `Bearer ${key}`);
  const deadline = new Date(Date.now() + 30_000);
  const method = (client as unknown as Record<string, (...args: unknown[]) => unknown>)[rpc.name]?.bind(client);
  if (method === undefined) throw new Error(`no client method ${rpc.name}`);
  return new Promise((resolve) => {
    if (rpc.responseStream) {
      const stream = method(request, metadata, { deadline }) as NodeJS.EventEmitter & { cancel(): void };
      // Allowed streams stay open (WatchAlerts) or end (an export); only a refusal matters here.
      stream.on('data', () => {
        stream.cancel();
        resolve(status.OK);
      });
      stream.on('error', (e: ServiceError) => resolve(e.code === status.CANCELLED ? status.OK : e.code));
      stream.on('end', () => resolve(status.OK));
      return;
    }
    method(request, metadata, { deadline }, (e: ServiceError | null) => resolve(e === null ? status.OK : e.code));
  });
}

const code = (c: number): string => status[c] ?? String(c);

describe('isolation matrix: every RPC against every wrong key', () => {
  let mongo: RunningService;
  let core: CoreProcess;
  let admin: CoreClient;
  const clients = new Map<ServiceDefinition, Client>();
  const keys = { garbage: 'not-a-key-but-long-enough-0123456789', revoked: '', adminOfB: '', readerOfA: '', ingestOfA: '', readerKeyIdOfA: '' };

  /** What a user can see of tenant A, to prove the refused calls changed nothing. */
  const snapshotOfA = async (): Promise<unknown> => ({
    tenant: (await admin.admin.getTenant({ tenantId: TENANT_A })).tenant,
    environments: (await admin.admin.listEnvironments({ tenantId: TENANT_A })).environments,
    entitlements: (await admin.admin.listEntitlements({ tenantId: TENANT_A })).entitlements,
    capacity: await admin.admin.getCapacity({ tenantId: TENANT_A, period: '' }),
    balance: await admin.reporting.getBalance({ tenantId: TENANT_A, environmentId: '', userId: '', period: '' }),
    bindings: (await admin.alerts.listChannelBindings({ tenantId: TENANT_A })).bindings,
    trials: (await admin.maintenance.listTrials({ tenantId: TENANT_A })).trials,
  });

  beforeAll(async () => {
    mongo = await startTestMongo();
    core = await startCoreProcess({ mongodbUri: mongo.url });
    admin = createCoreClient({ address: core.address, apiKey: core.adminKey });
    for (const [tenantId, name] of [[TENANT_A, 'Isolation A'], [TENANT_B, 'Isolation B']] as const) {
      await admin.admin.createTenant({ tenantId, displayName: name, timeZone: 'UTC' });
      await admin.admin.addEntitlement({ tenantId, kind: EntitlementKind.ENTITLEMENT_KIND_CAPACITY_ADDON, sku: '', quantity: 1, firstPeriod: '', lastPeriod: '' });
      await admin.admin.createEnvironment({ tenantId, environmentId: 'prod', displayName: 'Production', tenantPoolFallback: false });
    }
    await admin.admin.setAllocation({ tenantId: TENANT_A, environmentId: 'prod', credits: 100_000 });
    const mint = async (tenantId: string, role: Role) => admin.admin.createApiKey({ tenantId, role, description: 'isolation matrix' });
    const reader = await mint(TENANT_A, Role.ROLE_READER);
    keys.readerOfA = reader.apiKey;
    keys.readerKeyIdOfA = reader.keyId;
    keys.ingestOfA = (await mint(TENANT_A, Role.ROLE_INGEST)).apiKey;
    keys.adminOfB = (await mint(TENANT_B, Role.ROLE_ADMIN)).apiKey;
    const revoked = await mint(TENANT_A, Role.ROLE_ADMIN);
    await admin.admin.revokeApiKey({ keyId: revoked.keyId });
    keys.revoked = revoked.apiKey;
    for (const [, service] of SERVICES) {
      const Ctor = makeGenericClientConstructor(service, 'matrix');
      clients.set(service, new Ctor(core.address, credentials.createInsecure()));
    }
  });
  afterAll(async () => {
    for (const c of clients.values()) c.close();
    admin?.close();
    await core?.stop();
    await mongo?.stop();
  });

  it('gives every RPC of the contract a permission', () => {
    expect(RPCS.filter((r) => r.need === undefined).map((r) => r.path)).toEqual([]);
    expect(RPCS.length).toBeGreaterThanOrEqual(Object.keys(PERMISSIONS).length);
  });

  it('refuses each wrong key with the documented code, and changes nothing', { timeout: 300_000 }, async () => {
    const before = await snapshotOfA();
    const wrong: string[] = [];
    let calls = 0;
    const expectCode = async (rpc: Rpc, who: string, key: string | undefined, expected: number): Promise<void> => {
      const client = clients.get(rpc.service);
      if (client === undefined) throw new Error('no client');
      const got = await callWith(client, rpc, requestFor(rpc, keys), key);
      calls += 1;
      if (got !== expected) wrong.push(`${rpc.path} with ${who}: ${code(got)}, expected ${code(expected)}`);
    };
    const rank = { READER: 0, INGEST: 1, ADMIN: 2 } as const;
    for (const rpc of RPCS) {
      const need = rpc.need;
      if (need === undefined) continue;
      await expectCode(rpc, 'no key', undefined, status.UNAUTHENTICATED);
      await expectCode(rpc, 'a garbage key', keys.garbage, status.UNAUTHENTICATED);
      await expectCode(rpc, 'a revoked key', keys.revoked, status.UNAUTHENTICATED);
      if (need.scope !== 'own-only') await expectCode(rpc, "tenant B's admin key", keys.adminOfB, status.PERMISSION_DENIED);
      if (rank[need.role] > rank.READER) await expectCode(rpc, "tenant A's READER key", keys.readerOfA, status.PERMISSION_DENIED);
      if (rank[need.role] > rank.INGEST) await expectCode(rpc, "tenant A's INGEST key", keys.ingestOfA, status.PERMISSION_DENIED);
    }
    console.log(`isolation matrix: ${RPCS.length} RPCs, ${calls} refused calls checked`);
    expect(wrong).toEqual([]);
    expect(calls).toBeGreaterThan(RPCS.length * 3);
    expect(await snapshotOfA()).toEqual(before);
  });

  it('writes no API key into its log', () => {
    const log = readFileSync(core.logFile, 'utf8');
    expect(log.length).toBeGreaterThan(0);
    for (const [name, key] of Object.entries({ bootstrap: core.adminKey, ...keys })) {
      if (name === 'readerKeyIdOfA' || key === '') continue;
      expect(log.includes(key), `the ${name} key appears in ${core.logFile}`).toBe(false);
    }
  });
});
