import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import {
  AdminServiceService,
  AlertServiceService,
  ConsumptionServiceService,
  MaintenanceServiceService,
  ReportingServiceService,
} from '@allot/contracts';
import type { CoreConfig } from './config';
import type { Logger } from './logger';
import { Clock } from './clock';
import { collectionsOf, ensureIndexes } from './storage/collections';
import { migrateLedgerV1 } from './storage/ledger-migration';
import { AlertOutbox } from './alerts/alert-outbox';
import { TenantRegistry } from './tenants/tenant-registry';
import { ApiKeyMongoRepository } from './auth/api-key.mongo-repository';
import { AuditMongoRepository } from './audit/audit.mongo-repository';
import type { CoreServices } from './core-services';
import { startGrpcServer } from './transport/grpc/grpc-server';
import { OwnerForwarder } from './transport/grpc/owner-forwarding';
import { adminHandlers } from './transport/grpc/admin.grpc-handler';
import { consumptionHandlers } from './transport/grpc/consumption.grpc-handler';
import { reportingHandlers } from './transport/grpc/reporting.grpc-handler';
import { alertHandlers } from './transport/grpc/alert.grpc-handler';
import { maintenanceHandlers } from './transport/grpc/maintenance.grpc-handler';

export interface RunningCore {
  /** host:port the server listens on. */
  readonly address: string;
  readonly services: CoreServices;
  /**
   * Graceful stop within graceMs: no new calls, running ones finish, pending group commits and projections are
   * written, leases released (other replicas take the tenants at once), MongoDB closed.
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts the credit core: connects to MongoDB, creates indexes, serves every gRPC service. Shared by main.ts
 * and in-process tests.
 */
export async function startCore(config: CoreConfig, logger: Logger): Promise<RunningCore> {
  // A database that went away fails calls within seconds (UNAVAILABLE), instead of holding them. At most 10
  // connections unless the URI says otherwise (`maxPoolSize`): FerretDB 1.24 deadlocks when more concurrent commands
  // reach it than its PostgreSQL pool holds; on MongoDB raise it in the URI.
  const pool = /[?&]maxPoolSize=/i.test(config.mongodbUri) ? {} : { maxPoolSize: 10 };
  // No operation waits for ever on a connection that went silent (socketTimeoutMS): the tenant's queue goes on.
  const mongo = new MongoClient(config.mongodbUri, { serverSelectionTimeoutMS: 5_000, connectTimeoutMS: 5_000, socketTimeoutMS: 30_000, ...pool });
  await mongo.connect().catch((e: Error) => {
    throw new Error(`cannot reach MongoDB at ${config.mongodbUri}: ${e.message}`);
  });
  const c = collectionsOf(mongo.db());
  await ensureIndexes(c);
  await migrateLedgerV1(mongo.db(), c, logger);
  const audit = new AuditMongoRepository(mongo.db());
  await audit.ensureIndexes();
  const clock = new Clock();
  if (config.testClock) {
    // A test that moved the clock and then restarted the core (crash tests) must not see time jump back.
    const stored = await c.testClock.findOne({ _id: 'test-clock' });
    if (stored !== null && stored.offsetMs !== 0) {
      clock.restore(stored.offsetMs);
      logger.info('test clock restored', { now: new Date(clock.now()).toISOString() });
    }
  }
  const outbox = new AlertOutbox(c, logger);
  await outbox.init();
  let address = config.advertisedAddr ?? config.listenAddr;
  const replica = { id: randomUUID(), address: () => address };
  const leaseMs = config.leaseMs ?? 3_000;
  const tenants = new TenantRegistry({ c, clock, outbox, logger, commitDelayMs: config.commitDelayMs, replica, leaseMs });
  const services: CoreServices = {
    c,
    clock,
    logger,
    outbox,
    tenants,
    apiKeys: new ApiKeyMongoRepository(c, config.adminKey),
    audit,
    testClock: config.testClock,
  };
  // Calls for a tenant another replica owns are forwarded to it (its address is in the tenant's lease).
  const forwarder = new OwnerForwarder();
  tenants.peers = {
    recordAt: (owner, events) =>
      forwarder.currentIsForwarded() ? null : forwarder.inScope(owner, ConsumptionServiceService.recordConsumptionBatch, { events: [...events] }).then((r) => r.results),
  };
  const grpc = await startGrpcServer(config.listenAddr, [
    { name: 'credits.v1.AdminService', definition: AdminServiceService, implementation: adminHandlers(services) },
    { name: 'credits.v1.ConsumptionService', definition: ConsumptionServiceService, implementation: consumptionHandlers(services) },
    { name: 'credits.v1.ReportingService', definition: ReportingServiceService, implementation: reportingHandlers(services) },
    { name: 'credits.v1.AlertService', definition: AlertServiceService, implementation: alertHandlers(services) },
    { name: 'credits.v1.MaintenanceService', definition: MaintenanceServiceService, implementation: maintenanceHandlers(services) },
  ], forwarder);
  const host = config.listenAddr.replace(/:\d+$/, '');
  const listening = `${host}:${grpc.port}`;
  if (config.advertisedAddr === undefined) address = listening;
  logger.info('credit core listening', { addr: listening, advertised: address, replica: replica.id, testClock: config.testClock });
  // Tenants a crash left with journal events are loaded in the background: repaired, lost alerts raised.
  void repairCrashedTenants(services);
  return {
    address: listening,
    services,
    stop: async (graceMs = 8_000) => {
      const deadline = Date.now() + graceMs;
      await grpc.shutdown(Math.max(500, graceMs / 2));
      await tenants.drainAll(Math.max(Date.now() + 500, deadline - 500));
      forwarder.close();
      // Bounded too: a database that went away must not hold the process.
      await Promise.race([mongo.close(true).catch(() => undefined), new Promise((r) => setTimeout(r, Math.max(200, deadline - Date.now())).unref())]);
    },
  };
}

/**
 * After a start, the tenants whose journal holds events (a crash after acknowledged writes) are loaded, which
 * writes their projections and raises the alerts the crash lost. The journal is small, so this reads little;
 * a tenant another live replica owns is left to it.
 */
async function repairCrashedTenants(s: CoreServices): Promise<void> {
  try {
    const ids = [...new Set((await s.c.journal.find({}, { projection: { tenantId: 1 } }).toArray()).map((d) => d.tenantId))];
    let repaired = 0;
    for (const id of ids) {
      try {
        await s.tenants.get(id).exclusive(async (ctx) => ctx.periodState(ctx.currentPeriod()));
        repaired += 1;
      } catch {
        // Owned elsewhere, or the database is away: its first call loads it.
      }
    }
    s.logger.info('start-up journal check done', { tenants: ids.length, repaired });
  } catch (e) {
    s.logger.warn('start-up journal check failed', { error: (e as Error).message });
  }
}
