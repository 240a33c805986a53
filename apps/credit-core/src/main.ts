/**
 * Credit core entry point: reads and validates configuration, starts the core (core.ts).
 * SIGINT/SIGTERM: stop accepting calls, finish running ones, flush pending group commits, exit.
 */
import { loadCoreConfig } from './config';
import { createLogger } from './logger';
import { startCore } from './core';

const logger = createLogger();

async function main(): Promise<void> {
  const config = loadCoreConfig(process.env);
  const core = await startCore(config, logger);
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info('credit core stopping', { signal });
    // Whatever happens, the process ends within 10 s of the signal.
    setTimeout(() => {
      logger.warn('credit core stop took too long; exiting');
      process.exit(1);
    }, 9_500).unref();
    await core.stop(8_000).catch((e: Error) => logger.warn('credit core stop failed', { error: e.message }));
    logger.info('credit core stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: Error) => {
  logger.error(`credit core failed to start: ${error.message}`);
  process.exit(1);
});
