/**
 * Scheduler entry point (`npm run start:scheduler`): validates configuration, then either runs as a service
 * (workers, job schedulers, catch-up, Bull Board) until SIGTERM/SIGINT, or with
 * `--once <job-kind> [--tenant id] [--now ISO]` runs one job kind by hand and exits (1 if any job failed).
 */
import { parseCliArgs } from './cli-args';
import { loadSchedulerConfig } from './config';
import { createLogger } from './logger';
import { SchedulerApp } from './scheduler-app';

const logger = createLogger();

async function main(): Promise<void> {
  const command = parseCliArgs(process.argv.slice(2));
  const config = loadSchedulerConfig(process.env);
  const app = new SchedulerApp({ config, logger, board: command.mode === 'service' });

  if (command.mode === 'once') {
    const outcomes = await app.runOnce(command.kind, { tenantId: command.tenantId, now: command.now }).finally(() => app.stop());
    for (const o of outcomes) process.stdout.write(`${JSON.stringify(o)}\n`);
    process.exit(outcomes.every((o) => o.ok) ? 0 : 1);
  }

  await app.start();
  logger.info('scheduler running', { core: config.coreAddr, redis: config.redisUrl, prefix: config.queuePrefix });
  const stop = async (signal: string): Promise<void> => {
    logger.info('scheduler stopping: letting running jobs finish', { signal });
    await app.stop();
    logger.info('scheduler stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: Error) => {
  logger.error(`scheduler failed: ${error.message}`);
  process.exit(1);
});
