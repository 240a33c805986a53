/** Builds FerretDB once (cached outside the repo, see ferretDbBinaryPath) so the first test does not wait for it. */
import { ensureFerretDbBinary, ferretDbBinaryPath } from '@allot/local-services';

const started = Date.now();
ensureFerretDbBinary((line) => process.stdout.write(`[ferretdb] ${line}\n`));
process.stdout.write(`[ferretdb] ready: ${ferretDbBinaryPath()} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
