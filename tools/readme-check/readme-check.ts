/**
 * The README's Quick start, run as a user would on a fresh clone (`.ci/run` runs this):
 *   1. the start command of the `quick-start` block (`npm ci && npm start`), until the core's health answers
 *      SERVING and the bot's /healthz answers;
 *   2. every command of the `first-steps` block (demo, a console chat question, grpcurl list) and of the
 *      `grpcurl-session` block, each one's output checked against the `#>` lines under it;
 *   3. Ctrl-C (SIGINT to the start command's process group, as a terminal sends it), then nothing it started
 *      may be left running.
 * The commands come from README.md itself (see readme-blocks.ts), so the README and this check cannot drift apart.
 * FerretDB and Redis of this run get free ports and a throwaway PostgreSQL database (ALLOT_DEV_DATABASE), so a
 * developer's own dev data is never touched; the core (50051) and the bot (3978) must be free, as in the README.
 *
 * `--test-command` prints the README's test command instead (what `.ci/run` runs after this check).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGoTool, dropPostgresDatabase, freePort, isListening, type GoTool } from '@allot/local-services';
import { outputMatches, readmeBlocks, type ReadmeBlock, type ReadmeStep } from './readme-blocks';
import { commandLine, isAlive, processTree } from './process-snapshot';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CORE_ADDR = '127.0.0.1:50051';
const BOT_URL = 'http://127.0.0.1:3978';
/** Sized for the slowest case: `npm ci` plus a first FerretDB build on a busy two-core machine. */
const START_DEADLINE_MS = 20 * 60_000;
const STOP_DEADLINE_MS = 60_000;
const STEP_DEADLINE_MS = 5 * 60_000;

/** grpcurl, as the README tells users to install it. */
const GRPCURL: GoTool = { module: 'github.com/fullstorydev/grpcurl/cmd/grpcurl', version: 'v1.9.3', binary: 'grpcurl' };

const say = (line: string): void => void process.stdout.write(`[readme-check] ${line}\n`);

function block(blocks: Map<string, ReadmeBlock>, name: string): ReadmeBlock {
  const b = blocks.get(name);
  if (b === undefined) throw new Error(`README.md has no block marked <!-- readme-check: ${name} -->`);
  return b;
}

function quickStart(blocks: Map<string, ReadmeBlock>): { start: ReadmeStep; test: ReadmeStep } {
  const steps = block(blocks, 'quick-start').steps;
  const start = steps.find((s) => /\bnpm start\b/.test(s.command));
  const test = steps.find((s) => /\bnpm test\b/.test(s.command));
  if (start === undefined || test === undefined) throw new Error('the quick-start block must hold the `npm start` and the `npm test` commands');
  return { start, test };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs one bash command line (with the session's exports) and returns its combined output and exit code. */
function runStep(script: string, env: NodeJS.ProcessEnv): { output: string; code: number | null } {
  const r = spawnSync('bash', ['-c', script], { cwd: root, env, encoding: 'utf8', timeout: STEP_DEADLINE_MS, maxBuffer: 64 * 1024 * 1024 });
  return { output: `${r.stdout ?? ''}${r.stderr ?? ''}`, code: r.status };
}

/**
 * Runs a block's steps in order in one logical shell session: each step runs after the previous steps' `export`s
 * (replayed), so `export H=...` carries over as it does in a terminal.
 */
function runBlock(b: ReadmeBlock, env: NodeJS.ProcessEnv, failures: string[]): void {
  const exports: string[] = [];
  for (const step of b.steps) {
    const started = Date.now();
    const { output, code } = runStep([...exports, step.command].join('\n'), env);
    const expectsError = step.expects.some((e) => e.startsWith('ERROR:'));
    const problems: string[] = [];
    if (expectsError ? code === 0 : code !== 0) problems.push(`exit code ${code}, expected ${expectsError ? 'a failure' : '0'}`);
    for (const e of step.expects) if (!outputMatches(output, e)) problems.push(`output lacks: ${e}`);
    const label = `README.md:${step.line} ${step.command.length > 110 ? `${step.command.slice(0, 107)}...` : step.command}`;
    if (problems.length === 0) {
      say(`ok   ${label} (${Date.now() - started} ms${step.expects.length ? `, ${step.expects.length} output check(s)` : ''})`);
    } else {
      say(`FAIL ${label}\n       ${problems.join('\n       ')}\n       output:\n${output.replace(/^/gm, '         | ')}`);
      failures.push(`${label}: ${problems.join('; ')}`);
    }
    if (/^export\s/.test(step.command)) exports.push(step.command);
  }
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  const blocks = readmeBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
  const { start } = quickStart(blocks);
  const firstSteps = block(blocks, 'first-steps');
  const session = block(blocks, 'grpcurl-session');

  for (const [what, port] of [['credit core', 50051], ['chat bot', 3978]] as const) {
    if (await isListening(port)) throw new Error(`port ${port} (${what}) is in use; stop what listens there (another \`npm start\`?) and run again`);
  }
  // The cache names the binary grpcurl-<version>; the README's commands call it grpcurl.
  const grpcurlDir = mkdtempSync(join(tmpdir(), 'allot-grpcurl-'));
  symlinkSync(buildGoTool(GRPCURL, say), join(grpcurlDir, 'grpcurl'));
  const database = `allot_readme_${process.pid}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${grpcurlDir}:${process.env['PATH'] ?? ''}`,
    ALLOT_DEV_DATABASE: database,
    ALLOT_FERRETDB_PORT: String(await freePort()),
    ALLOT_REDIS_PORT: String(await freePort()),
    SCHEDULER_BOARD_PORT: '0',
  };
  for (const v of ['MONGODB_URI', 'REDIS_URL', 'CREDIT_CORE_ADDR', 'CREDIT_CORE_ADMIN_KEY', 'CHATBOT_CORE_KEY', 'CHAT_TENANT', 'CHATBOT_PORT']) delete env[v];

  const logFile = join(mkdtempSync(join(tmpdir(), 'allot-readme-')), 'npm-start.log');
  say(`README.md:${start.line} ${start.command}   (output in ${logFile})`);
  const t0 = Date.now();
  const starter = spawn('bash', ['-c', start.command], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const append = (d: Buffer): void => {
    log += d.toString();
    writeFileSync(logFile, log);
  };
  starter.stdout.on('data', append);
  starter.stderr.on('data', append);
  const state: { exit: number | string | null } = { exit: null };
  const exited = new Promise<void>((resolve) =>
    starter.once('exit', (code, signal) => {
      state.exit = code ?? signal;
      resolve();
    }),
  );
  const pgid = starter.pid ?? 0;
  const failures: string[] = [];
  try {
    // 1. Ready: the core SERVING and the bot answering, or the start command gone (then there is nothing to wait for).
    for (;;) {
      if (state.exit !== null) throw new Error(`\`${start.command}\` exited (${state.exit}) before the system was ready:\n${log}`);
      if (Date.now() - t0 > START_DEADLINE_MS) throw new Error(`the system was not ready after ${START_DEADLINE_MS / 60_000} min:\n${log}`);
      const health = runStep(`grpcurl -plaintext -max-time 5 ${CORE_ADDR} grpc.health.v1.Health/Check`, env);
      if (health.output.includes('"SERVING"') && (await httpOk(`${BOT_URL}/healthz`))) break;
      await sleep(1_000);
    }
    say(`ready after ${((Date.now() - t0) / 1000).toFixed(1)} s: core SERVING on ${CORE_ADDR}, bot ${BOT_URL}/healthz answers`);
    // 2. The commands a user runs next, in another terminal.
    runBlock(firstSteps, env, failures);
    runBlock(session, env, failures);
  } finally {
    // 3. Ctrl-C, as the terminal sends it: SIGINT to the whole foreground process group.
    const tree = pgid > 0 ? processTree(pgid) : new Map<number, string>();
    if (state.exit === null && pgid > 0) {
      say(`Ctrl-C (SIGINT to process group ${pgid}, ${tree.size} processes)`);
      try {
        process.kill(-pgid, 'SIGINT');
      } catch {
        /* already gone */
      }
    }
    const stopBy = Date.now() + STOP_DEADLINE_MS;
    await Promise.race([exited, sleep(STOP_DEADLINE_MS)]);
    while (Date.now() < stopBy && [...tree.keys()].some(isAlive)) await sleep(200);
    const left = [...tree.keys()].filter(isAlive);
    if (left.length > 0) {
      failures.push(`after Ctrl-C, ${left.length} process(es) still run: ${left.map((p) => `${p} ${commandLine(p)}`).join('; ')}`);
      for (const p of left) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    } else {
      say(`stopped: all ${tree.size} processes gone ${state.exit === null ? '' : `(exit ${state.exit})`}`);
    }
    for (const port of [50051, 3978, Number(env['ALLOT_FERRETDB_PORT']), Number(env['ALLOT_REDIS_PORT'])]) {
      if (await isListening(port)) failures.push(`after Ctrl-C, port ${port} still listens`);
    }
    try {
      dropPostgresDatabase(database);
    } catch (e) {
      say(`could not drop the throwaway database ${database}: ${(e as Error).message}`);
    }
  }
  if (failures.length > 0) {
    say(`${failures.length} problem(s):\n  - ${failures.join('\n  - ')}\n(npm start's output: ${logFile})`);
    return 1;
  }
  say(`README Quick start, first steps and grpcurl session: all ${firstSteps.steps.length + session.steps.length + 1} commands ok`);
  return 0;
}

if (process.argv.includes('--test-command')) {
  process.stdout.write(`${quickStart(readmeBlocks(readFileSync(join(root, 'README.md'), 'utf8'))).test.command.replace(/\s+#.*$/, '')}\n`);
} else {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      say(`FAILED: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
