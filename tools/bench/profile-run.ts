/**
 * For every target the run missed: the scenario again, briefly, against a second core started with
 * `node --cpu-prof`, and a summary of where that core's time went.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createCoreClient } from '@allot/grpc-client';
import { startCoreProcess } from '@allot/testing';
import { runGhz, type GhzContext, type GhzRun } from './ghz';
import { profileLines, summarizeProfile } from './profile';
import type { Target } from './results';
import { BATCH, createManyTenants, createTenant, envId, manyTenantBatch, singleTenantBatch, unaryEvent } from './workload';

type Scenario = Omit<GhzRun, 'address' | 'apiKey' | 'durationS'>;

/** Environments per tenant of the profiled 100-tenant batches (fewer than measured: set-up time). */
const PROFILE_ENVS = 10;

function scenarioFor(target: Target, run: string, batchConcurrency: number, envs: number): Scenario | null {
  const access = JSON.stringify({ tenantId: `u-${run}`, environmentId: envId(0), userId: 'u1', operation: 'OPERATION_RUN' });
  const check = 'credits.v1.ConsumptionService.CheckAccess';
  const batch = 'credits.v1.ConsumptionService.RecordConsumptionBatch';
  if (target.name.startsWith('CheckAccess p99')) return { name: 'profile: CheckAccess at 2,000/s', call: check, data: access, concurrency: 64, rps: 2_000, eventsPerCall: 0 };
  if (target.name.startsWith('CheckAccess')) return { name: 'profile: CheckAccess c=64', call: check, data: access, concurrency: 64, eventsPerCall: 0 };
  if (target.name.startsWith('batch, 1 tenant'))
    return { name: 'profile: batch 1 tenant', call: batch, data: singleTenantBatch(`b1-${run}`, 'pb1'), concurrency: batchConcurrency, eventsPerCall: BATCH, timeoutS: 120 };
  if (target.name.startsWith('batch, 100'))
    return { name: 'profile: batch 100 tenants', call: batch, data: manyTenantBatch(run, 'pbm', Math.min(envs, PROFILE_ENVS)), concurrency: batchConcurrency, eventsPerCall: BATCH, timeoutS: 120 };
  if (target.name.startsWith('unary'))
    return { name: 'profile: unary c=64', call: 'credits.v1.ConsumptionService.RecordConsumption', data: unaryEvent(`u-${run}`, 'pun'), concurrency: 64 };
  return null;
}

/** The profiles in dir written since `since` (ms), largest first. */
function profilesSince(dir: string, since: number): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).mtimeMs >= since)
    .sort((a, b) => statSync(b).size - statSync(a).size);
}

/** Waits until a profile written since `since` exists and stopped growing, or until limitMs. */
async function profileWritten(dir: string, since: number, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  let last = -1;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const file = profilesSince(dir, since)[0];
    const size = file === undefined ? -1 : statSync(file).size;
    if (size > 0 && size === last) return;
    last = size;
  }
}

export async function profileTargets(
  ctx: GhzContext,
  mongodbUri: string,
  ratios: readonly Target[],
  opts: { run: string; seconds: number; batchConcurrency: number; envsPerTenant: number; dir: string },
): Promise<string[]> {
  const lines: string[] = [];
  const created = new Set<string>();
  for (const target of ratios.filter((t) => !t.met)) {
    const scenario = scenarioFor(target, opts.run, opts.batchConcurrency, opts.envsPerTenant);
    if (scenario === null) continue;
    const dir = join(opts.dir, scenario.name.replace(/^profile: /, '').replace(/[^a-z0-9]+/gi, '-'));
    mkdirSync(dir, { recursive: true });
    const started = Date.now();
    const core = await startCoreProcess({ mongodbUri, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
    try {
      // The profiles run on a database of their own: create the scenario's tenants once.
      const admin = createCoreClient({ address: core.address, apiKey: core.adminKey });
      try {
        const needs = scenario.name.includes('100 tenants') ? 'many' : scenario.name.includes('batch 1') ? 'one' : 'unary';
        if (!created.has(needs)) {
          if (needs === 'many') await createManyTenants(admin, opts.run, Math.min(opts.envsPerTenant, PROFILE_ENVS));
          else await createTenant(admin, needs === 'one' ? `b1-${opts.run}` : `u-${opts.run}`, 1);
          created.add(needs);
        }
      } finally {
        admin.close();
      }
      // One short warm-up (tenant loads, JIT), then the profiled load.
      await runGhz(ctx, { ...scenario, name: `${scenario.name} (warm-up)`, address: core.address, apiKey: core.adminKey, durationS: 2, timeoutS: 20 });
      await runGhz(ctx, { ...scenario, address: core.address, apiKey: core.adminKey, durationS: opts.seconds, timeoutS: 20 });
    } finally {
      // --cpu-prof writes its file when the core exits, which can take longer than stop()'s grace before SIGKILL.
      try {
        process.kill(-core.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await profileWritten(dir, started, 30_000);
      await core.stop();
    }
    const file = profilesSince(dir, started)[0];
    if (file === undefined) {
      lines.push(`${target.name}: no profile written (did the core exit cleanly?)`);
      continue;
    }
    lines.push(...profileLines(`${target.name} (${target.want}, was ${target.ratio.toFixed(2)})`, summarizeProfile(file)));
  }
  return lines;
}
