/** What the bench measured, the targets of the benchmark issue, the printed table and bench/results/latest.json. */
import { cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Measurement {
  readonly name: string;
  /** Who drove the load: ghz (gRPC) or the MongoDB driver (the storage ceilings). */
  readonly client: 'ghz' | 'driver';
  readonly concurrency: number;
  /** Fixed rate asked for, calls/s (undefined: as fast as possible). */
  readonly rps?: number | undefined;
  readonly calls: number;
  readonly events: number;
  readonly seconds: number;
  readonly callsPerSecond: number;
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly firstError?: string;
}

export interface ScalePoint {
  readonly ledgerEvents: number;
  /** RSS of the core after a restart and one answer for a tenant with that history. */
  readonly rssMb: number | null;
  /** RSS right after the restart, before any call. */
  readonly rssIdleMb: number | null;
  /** Restart (spawn) to listening (health SERVING). */
  readonly listenS: number;
  /** Restart to the first answer for that tenant (null: none within the limit). */
  readonly firstAnswerS: number | null;
  readonly note?: string;
}

export interface ReplicaRun {
  readonly replicas: number;
  readonly measurements: readonly Measurement[];
  readonly eventsPerSecond: number;
  /** consumed reported by each replica for the shared tenant, and the ledger's sum. */
  readonly consumedByReplica: readonly (number | string)[];
  readonly ledgerCredits: number;
  readonly ledgerEvents: number;
  readonly expectedCredits: number;
  readonly exact: boolean;
  readonly note: string;
}

export interface ExactnessCheck {
  readonly scenario: string;
  readonly expectedEvents: number;
  readonly ledgerEvents: number;
  readonly expectedCredits: number;
  readonly ledgerCredits: number;
  readonly projectedCredits: number;
  readonly exact: boolean;
  readonly detail?: string;
}

export interface Target {
  readonly name: string;
  readonly ratio: number;
  readonly want: string;
  readonly met: boolean;
}

export interface BenchResults {
  readonly date: string;
  readonly quick: boolean;
  readonly machine: { readonly cpu: string; readonly cores: number; readonly node: string; readonly platform: string };
  readonly ghz: string;
  readonly durationS: number;
  readonly measurements: readonly Measurement[];
  readonly ratios: readonly Target[];
  readonly scale: readonly ScalePoint[];
  readonly replicas: ReplicaRun | null;
  readonly exactness: readonly ExactnessCheck[];
  readonly profiles: readonly string[];
}

export function machine(): BenchResults['machine'] {
  const list = cpus();
  return { cpu: list[0]?.model.trim() ?? 'unknown', cores: list.length, node: process.version, platform: `${process.platform} ${process.arch}` };
}

/** Measurement names the ratios refer to (bench.ts names its scenarios with these). */
export const NAMES = {
  ping: 'A: Ping (no-op, same auth)',
  pingFixed: 'A: Ping (no-op) at fixed rate',
  rawInsertMany: 'B: raw insertMany, 1,000 ledger docs a call',
  rawInsertOne: 'C: raw insertOne, 1 ledger doc a call',
  batch1: 'RecordConsumptionBatch 1,000/call, 1 tenant',
  batch100: 'RecordConsumptionBatch 1,000/call, 100 tenants',
  unary: 'RecordConsumption, 1 event a call',
  check: 'CheckAccess',
  checkFixed: 'CheckAccess at fixed rate',
  balance: 'GetBalance (environment)',
  balanceFixed: 'GetBalance at fixed rate',
} as const;

/** The targets of the benchmark issue, as ratios within this run. */
export function targets(ms: readonly Measurement[], exact: boolean): Target[] {
  const get = (name: string) => ms.find((m) => m.name.startsWith(name));
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : Number.NaN);
  const list: Target[] = [];
  const add = (name: string, r: number, want: string, ok: (r: number) => boolean) =>
    list.push({ name, ratio: r, want, met: Number.isFinite(r) && ok(r) });
  add('CheckAccess / A (calls/s, c=64)', ratio(get(NAMES.check)?.callsPerSecond, get(NAMES.ping)?.callsPerSecond), '>= 0.85', (r) => r >= 0.85);
  add('CheckAccess p99 / A p99 at fixed rate', ratio(get(NAMES.checkFixed)?.p99Ms, get(NAMES.pingFixed)?.p99Ms), '<= 1.3', (r) => r <= 1.3);
  add('batch, 1 tenant / B (events/s)', ratio(get(NAMES.batch1)?.eventsPerSecond, get(NAMES.rawInsertMany)?.eventsPerSecond), '>= 0.5', (r) => r >= 0.5);
  add('batch, 100 tenants / B (events/s)', ratio(get(NAMES.batch100)?.eventsPerSecond, get(NAMES.rawInsertMany)?.eventsPerSecond), '>= 0.7', (r) => r >= 0.7);
  add('unary c=64 / C (events/s)', ratio(get(NAMES.unary)?.eventsPerSecond, get(NAMES.rawInsertOne)?.eventsPerSecond), '>= 1.5', (r) => r >= 1.5);
  list.push({ name: 'exactness (ledger = projections = expected)', ratio: exact ? 1 : 0, want: 'every check', met: exact });
  return list;
}

export function fmt(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '-';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Markdown table of the measurements (printed, and the README's section). */
export function measurementTable(ms: readonly Measurement[]): string[] {
  const rows = [
    '| scenario | client | concurrency | rate | calls/s | events/s | p50 ms | p95 ms | p99 ms | errors |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const m of ms) {
    rows.push(
      `| ${m.name} | ${m.client} | ${m.concurrency} | ${m.rps ? `${fmt(m.rps)}/s` : 'max'} | ${fmt(m.callsPerSecond)} | ${m.events > 0 ? fmt(m.eventsPerSecond) : '-'} | ${fmt(m.p50Ms, 1)} | ${fmt(m.p95Ms, 1)} | ${fmt(m.p99Ms, 1)} | ${m.errors ? `${fmt(m.errors)}${m.firstError ? ` (${m.firstError.slice(0, 60)})` : ''}` : '0'} |`,
    );
  }
  return rows;
}

export function ratioTable(ts: readonly Target[]): string[] {
  return [
    '| target | this run | wanted | met |',
    '|---|---|---|---|',
    ...ts.map((t) => `| ${t.name} | ${t.name.startsWith('exactness') ? (t.met ? 'exact' : 'MISMATCH') : fmt(t.ratio, 2)} | ${t.want} | ${t.met ? 'yes' : '**no**'} |`),
  ];
}

export function scaleTable(points: readonly ScalePoint[]): string[] {
  return [
    '| ledger events (one tenant) | RSS after restart, idle | RSS after its first answer | restart to listening | restart to first answer |',
    '|---|---|---|---|---|',
    ...points.map(
      (p) =>
        `| ${fmt(p.ledgerEvents)} | ${p.rssIdleMb === null ? '-' : `${fmt(p.rssIdleMb)} MB`} | ${p.rssMb === null ? '-' : `${fmt(p.rssMb)} MB`} | ${fmt(p.listenS, 1)} s | ${
          p.firstAnswerS === null ? `none${p.note ? ` (${p.note})` : ''}` : `${fmt(p.firstAnswerS, 1)} s`
        } |`,
    ),
  ];
}

export function replicaLines(r: ReplicaRun | null): string[] {
  if (r === null) return ['three replicas: not run'];
  return [
    `${r.replicas} replicas on one database, batches to every replica: ${fmt(r.eventsPerSecond)} events/s in total; ` +
      `consumed per replica ${r.consumedByReplica.map((c) => (typeof c === 'number' ? fmt(c) : c)).join(' / ')}, ` +
      `ledger ${fmt(r.ledgerCredits)} credits in ${fmt(r.ledgerEvents)} events, expected ${fmt(r.expectedCredits)}: ${r.exact ? 'exact' : 'NOT exact'}. ${r.note}`,
  ];
}

export function exactnessTable(checks: readonly ExactnessCheck[]): string[] {
  return [
    '| scenario | expected events | ledger events | expected credits | ledger credits | GetBalance credits | exact |',
    '|---|---|---|---|---|---|---|',
    ...checks.map(
      (c) =>
        `| ${c.scenario} | ${fmt(c.expectedEvents)} | ${fmt(c.ledgerEvents)} | ${fmt(c.expectedCredits)} | ${fmt(c.ledgerCredits)} | ${fmt(c.projectedCredits)} | ${
          c.exact ? `yes${c.detail ? ` (${c.detail})` : ''}` : `**no**${c.detail ? ` (${c.detail})` : ''}`
        } |`,
    ),
  ];
}

export function printResults(r: BenchResults): void {
  const out = (lines: string[]) => console.log(`${lines.join('\n')}\n`);
  out(measurementTable(r.measurements));
  out(['Ratios against the ceilings measured in this run:', '', ...ratioTable(r.ratios)]);
  if (r.scale.length > 0) out(['Core at scale (restart with a history):', '', ...scaleTable(r.scale)]);
  out(replicaLines(r.replicas));
  out(['Exactness:', '', ...exactnessTable(r.exactness)]);
}

export function writeResults(file: string, r: BenchResults): void {
  mkdirSync(dirname(file), { recursive: true });
  const clean = JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
  writeFileSync(file, `${clean}\n`);
}
