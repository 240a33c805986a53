/**
 * `npm run services`: starts (or reuses) the local FerretDB and Redis and prints two shell lines for
 * `eval "$(npm run -s services)"`. Progress goes to stderr so stdout stays eval-able.
 */
import { ensureDevServices } from '@allot/local-services';

const log = (line: string): void => {
  process.stderr.write(`[services] ${line}\n`);
};

try {
  const services = await ensureDevServices(log);
  for (const line of services.started) log(`started ${line}`);
  if (services.started.length === 0) log('reusing running services');
  process.stdout.write(`export MONGODB_URI=${services.mongodbUri}\nexport REDIS_URL=${services.redisUrl}\n`);
} catch (error) {
  log(`could not start services: ${(error as Error).message}`);
  process.exit(1);
}
