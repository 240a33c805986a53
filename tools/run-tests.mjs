// `npm test`: contracts, dependency rules, type-check and lint (tools/ too), then every project's tests (each test file starts and
// stops its own throwaway FerretDB / Redis / core). Always ends with one summary line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'tmp/test-results');
rmSync(results, { recursive: true, force: true });
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true', FORCE_COLOR: process.env.CI ? '0' : '1' };
const bin = (name) => join(root, 'node_modules/.bin', name);
const nx = bin('nx');
const steps = [
  ['contracts (buf lint + generate)', process.execPath, [join(root, 'tools/generate-contracts.mjs')]],
  ['dependency rules', join(root, 'node_modules/.bin/depcruise'), ['apps', 'libs', 'tools', '--config', '.dependency-cruiser.cjs']],
  ['tools: type-check and lint', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], [bin('eslint'), ['tools', '--max-warnings', '0']]],
  ['type-check, lint and build', nx, ['run-many', '-t', 'typecheck', 'lint', 'build', '--outputStyle=stream', '--parallel=2', '--skipNxCache']],
  ['tests', nx, ['run-many', '-t', 'test', '--outputStyle=stream', '--parallel=2']],
];
const failedSteps = [];
// A step is one command, or several run in order (a step fails when any of them fails).
for (const [name, cmd, args, ...more] of steps) {
  const started = Date.now();
  process.stdout.write(`\n=== ${name} ===\n`);
  let status = 0;
  for (const [c, a] of [[cmd, args], ...more]) {
    const run = spawnSync(c, a, { cwd: root, env, stdio: 'inherit' });
    if (run.status !== 0) status = run.status ?? 1;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`=== ${name}: ${status === 0 ? 'ok' : 'FAILED'} (${seconds} s) ===\n`);
  if (status !== 0) {
    failedSteps.push(name);
    if (name !== 'tests' && name !== 'type-check, lint and build' && name !== 'tools: type-check and lint') break;
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
