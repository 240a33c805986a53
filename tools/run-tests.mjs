// `npm test`: contracts, dependency rules, type-check, lint, then every project's tests (each test file starts and
// stops its own throwaway FerretDB / Redis / core). Always ends with one summary line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'tmp/test-results');
rmSync(results, { recursive: true, force: true });
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true', FORCE_COLOR: process.env.CI ? '0' : '1' };
const nx = join(root, 'node_modules/.bin/nx');
const steps = [
  ['contracts (buf lint + generate)', process.execPath, [join(root, 'tools/generate-contracts.mjs')]],
  ['dependency rules', join(root, 'node_modules/.bin/depcruise'), ['apps', 'libs', 'tools', '--config', '.dependency-cruiser.cjs']],
  ['type-check, lint and build', nx, ['run-many', '-t', 'typecheck', 'lint', 'build', '--outputStyle=stream', '--parallel=2', '--skipNxCache']],
  ['tests', nx, ['run-many', '-t', 'test', '--outputStyle=stream', '--parallel=2']],
];
const failedSteps = [];
for (const [name, cmd, args] of steps) {
  const started = Date.now();
  process.stdout.write(`\n=== ${name} ===\n`);
  const run = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`=== ${name}: ${run.status === 0 ? 'ok' : 'FAILED'} (${seconds} s) ===\n`);
  if (run.status !== 0) {
    failedSteps.push(name);
    if (name !== 'tests' && name !== 'type-check, lint and build') break;
  }
}
let passed = 0;
let failed = 0;
let skipped = 0;
const perProject = [];
if (existsSync(results)) {
  for (const file of readdirSync(results).filter((f) => f.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(results, file), 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    perProject.push(`${file.replace(/\.json$/, '').padEnd(16)} ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  }
}
process.stdout.write(`\n${perProject.join('\n')}\n`);
if (failedSteps.length > 0) process.stdout.write(`failed steps: ${failedSteps.join(', ')}\n`);
process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failedSteps.length > 0 || failed > 0 || passed === 0 ? 1 : 0);
