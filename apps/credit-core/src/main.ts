/**
 * Credit core entry point: reads and validates configuration, connects to MongoDB, serves gRPC.
 * SIGINT/SIGTERM: stop accepting calls, finish running ones, flush pending writes, exit.
 */
import { MongoClient } from 'mongodb';
import {
  AdminServiceService,
  ConsumptionServiceService,
  ReportingServiceService,
  AlertServiceService,
  MaintenanceServiceService,
} from '@allot/contracts';
import { loadCoreConfig } from './config';
import { createLogger } from './logger';
import { startGrpcServer } from './transport/grpc/grpc-server';

const logger = createLogger();

async function main(): Promise<void> {
  const config = loadCoreConfig(process.env);
  const mongo = new MongoClient(config.mongodbUri, { serverSelectionTimeoutMS: 10_000 });
  await mongo.connect().catch((e: Error) => {
    throw new Error(`cannot reach MongoDB at ${config.mongodbUri}: ${e.message}`);
  });
  const grpc = await startGrpcServer(config.listenAddr, [
    { name: 'credits.v1.AdminService', definition: AdminServiceService, implementation: {} },
    { name: 'credits.v1.ConsumptionService', definition: ConsumptionServiceService, implementation: {} },
    { name: 'credits.v1.ReportingService', definition: ReportingServiceService, implementation: {} },
    { name: 'credits.v1.AlertService', definition: AlertServiceService, implementation: {} },
    { name: 'credits.v1.MaintenanceService', definition: MaintenanceServiceService, implementation: {} },
  ]);
  const host = config.listenAddr.replace(/:\d+$/, '');
  logger.info('credit core listening', { addr: `${host}:${grpc.port}`, mongodb: config.mongodbUri });
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info('credit core stopping', { signal });
    await grpc.shutdown();
    await mongo.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: Error) => {
  logger.error(`credit core failed to start: ${error.message}`);
  process.exit(1);
});
