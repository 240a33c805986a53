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
import { ROLLUPS_VERSION, collectionsOf, ensureIndexes } from './storage/collections';
import { AlertOutbox } from './alerts/alert-outbox';
import { TenantRegistry } from './tenants/tenant-registry';
import { ApiKeyMongoRepository } from './auth/api-key.mongo-repository';
import type { CoreServices } from './core-services';
import { startGrpcServer } from './transport/grpc/grpc-server';
import { adminHandlers } from './transport/grpc/admin.grpc-handler';
import { consumptionHandlers } from './transport/grpc/consumption.grpc-handler';
import { reportingHandlers } from './transport/grpc/reporting.grpc-handler';
import { alertHandlers } from './transport/grpc/alert.grpc-handler';
import { maintenanceHandlers } from './transport/grpc/maintenance.grpc-handler';

export interface RunningCore {
  /** host:port the server listens on. */
  readonly address: string;
  readonly services: CoreServices;
  /** Graceful stop: no new calls, running ones finish, pending group commits are flushed, MongoDB closed. */
  stop(): Promise<void>;
}

/**
 * Starts the credit core: connects to MongoDB, creates indexes, serves every gRPC service. Shared by main.ts
 * and in-process tests.
 */
export async function startCore(config: CoreConfig, logger: Logger): Promise<RunningCore> {
  const mongo = new MongoClient(config.mongodbUri, { serverSelectionTimeoutMS: 10_000 });
  await mongo.connect().catch((e: Error) => {
    throw new Error(`cannot reach MongoDB at ${config.mongodbUri}: ${e.message}`);
  });
  const c = collectionsOf(mongo.db());
  await ensureIndexes(c);
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
  const tenants = new TenantRegistry({ c, clock, outbox, logger, commitDelayMs: config.commitDelayMs });
  const services: CoreServices = {
    c,
    clock,
    logger,
    outbox,
    tenants,
    apiKeys: new ApiKeyMongoRepository(c, config.adminKey),
    testClock: config.testClock,
  };
  await repairAllTenants(services);
  const grpc = await startGrpcServer(config.listenAddr, [
    { name: 'credits.v1.AdminService', definition: AdminServiceService, implementation: adminHandlers(services) },
    { name: 'credits.v1.ConsumptionService', definition: ConsumptionServiceService, implementation: consumptionHandlers(services) },
    { name: 'credits.v1.ReportingService', definition: ReportingServiceService, implementation: reportingHandlers(services) },
    { name: 'credits.v1.AlertService', definition: AlertServiceService, implementation: alertHandlers(services) },
    { name: 'credits.v1.MaintenanceService', definition: MaintenanceServiceService, implementation: maintenanceHandlers(services) },
  ]);
  const host = config.listenAddr.replace(/:\d+$/, '');
  const address = `${host}:${grpc.port}`;
  logger.info('credit core listening', { addr: address, testClock: config.testClock });
  return {
    address,
    services,
    stop: async () => {
      await grpc.shutdown();
      await tenants.drainAll();
      await mongo.close();
    },
  };
}

/**
 * On start, every tenant whose projections lag its ledger (a crash after an acknowledged write) is loaded,
 * which repairs them from the ledger before the first call is served, and raises the alerts the crash lost.
 */
async function repairAllTenants(s: CoreServices): Promise<void> {
  const tenants = await s.c.tenants.find({}, { projection: { _id: 1, projectedSeq: 1, rollupsVersion: 1 } }).toArray();
  let repaired = 0;
  const check = async (t: (typeof tenants)[number]): Promise<void> => {
    // Seqs are contiguous: the one after projectedSeq exists iff projections lag (an equality FerretDB pushes
    // down, where a sort by seq scanned the whole ledger). A lag this misses is still repaired on first load.
    const next = await s.c.ledger.findOne({ tenantId: t._id, seq: (t.projectedSeq ?? 0) + 1 }, { projection: { _id: 1 } });
    if (next === null && t.rollupsVersion === ROLLUPS_VERSION) return;
    // Loading the current period also raises the stage alerts a crash after the ledger write left unraised.
    await s.tenants.get(t._id).exclusive(async (ctx) => ctx.periodState(ctx.currentPeriod()));
    repaired += 1;
  };
  // A few tenants at a time: start-up with many tenants is not one round trip after another, and the database
  // (FerretDB's small pool in tests) is not flooded either.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tenants.length) {
      const t = tenants[next++];
      if (t !== undefined) await check(t);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, tenants.length) }, worker));
  s.logger.info('start-up projection check done', { tenants: tenants.length, repaired });
}
