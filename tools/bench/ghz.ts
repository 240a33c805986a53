/**
 * ghz, the Go gRPC load generator, as the bench's only client in the measured path: built once from the Go
 * module proxy into the cache outside the repository, run as its own process, its JSON report parsed.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGoTool } from '@allot/local-services';
import type { Measurement } from './results';

/** Pinned: the cache is keyed by the version. */
export const GHZ = { module: 'github.com/bojand/ghz/cmd/ghz', version: 'v0.121.0', binary: 'ghz' } as const;

export function ensureGhz(log: (line: string) => void): string {
  return buildGoTool(GHZ, log);
}

export interface GhzRun {
  readonly name: string;
  /** Fully qualified method, e.g. credits.v1.ConsumptionService.CheckAccess. */
  readonly call: string;
  readonly address: string;
  readonly apiKey: string;
  /** Request JSON, a ghz template ({{.RequestNumber}}, sprig functions). Written to a data file. */
  readonly data: string;
  readonly concurrency: number;
  /** Run for this long (with in-flight calls awaited, so every sent call is counted)... */
  readonly durationS?: number;
  /** ...or send exactly this many calls. */
  readonly total?: number;
  /** Fixed rate (calls/s) instead of as fast as possible. */
  readonly rps?: number;
  /** Events carried per call (batches), for events/s. @defaultValue 1 */
  readonly eventsPerCall?: number;
  readonly timeoutS?: number;
}

interface GhzReport {
  count: number;
  total: number;
  statusCodeDistribution?: Record<string, number>;
  errorDistribution?: Record<string, number> | null;
  latencyDistribution?: Array<{ percentage: number; latency: number }> | null;
}

export interface GhzContext {
  readonly ghz: string;
  /** Descriptor set of the contract (libs/contracts/src/gen/credits.binpb). */
  readonly protoset: string;
  /** Scratch folder for data files. */
  readonly workDir: string;
}

/** Runs ghz and returns what it measured: OK calls/s, events/s, p50/p95/p99 of the OK calls, errors. */
export async function runGhz(ctx: GhzContext, run: GhzRun): Promise<Measurement> {
  const dataFile = join(ctx.workDir, `${run.name.replace(/[^a-z0-9]+/gi, '-')}.json`);
  writeFileSync(dataFile, run.data);
  const args = [
    '--insecure',
    '--protoset', ctx.protoset,
    '--call', run.call,
    '--metadata', JSON.stringify({ authorization: `Bearer ${run.apiKey}` }),
    '--data-file', dataFile,
    '--concurrency', String(run.concurrency),
    '--connections', String(Math.min(run.concurrency, 4)),
    '--timeout', `${run.timeoutS ?? 60}s`,
    '--format', 'json',
  ];
  if (run.total !== undefined) args.push('--total', String(run.total));
  else args.push('--duration', `${run.durationS ?? 10}s`, '--duration-stop', 'wait');
  if (run.rps !== undefined) args.push('--rps', String(run.rps));
  args.push(run.address);
  process.stderr.write(
    `  ghz: ${run.name}, c=${run.concurrency}${run.rps ? `, ${run.rps}/s` : ''}, ${run.total !== undefined ? `${run.total} calls` : `${run.durationS ?? 10} s`}\n`,
  );
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(ctx.ghz, args, { maxBuffer: 512 * 1024 * 1024 }, (error, out, err) => {
      // ghz exits non-zero when calls failed but still prints its report.
      if (out.trim().startsWith('{')) resolve(out);
      else reject(new Error(`ghz ${run.name} failed: ${error?.message ?? ''} ${err.slice(-2000)}`));
    });
  });
  const report = JSON.parse(stdout) as GhzReport;
  const codes = report.statusCodeDistribution ?? {};
  const ok = codes['OK'] ?? 0;
  const seconds = report.total / 1e9;
  const pct = (p: number) => (report.latencyDistribution ?? []).find((d) => d.percentage === p)?.latency ?? Number.NaN;
  const errors = Object.entries(codes).filter(([code]) => code !== 'OK');
  const firstError = Object.keys(report.errorDistribution ?? {})[0];
  return {
    name: run.name,
    client: 'ghz',
    concurrency: run.concurrency,
    rps: run.rps,
    calls: ok,
    events: ok * (run.eventsPerCall ?? 1),
    seconds,
    callsPerSecond: ok / seconds,
    eventsPerSecond: (ok * (run.eventsPerCall ?? 1)) / seconds,
    p50Ms: pct(50) / 1e6,
    p95Ms: pct(95) / 1e6,
    p99Ms: pct(99) / 1e6,
    errors: errors.reduce((n, [, c]) => n + c, 0),
    ...(firstError === undefined ? {} : { firstError: firstError.slice(0, 200) }),
  };
}
