/** Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: self time by function and by package. */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  readonly file: string;
  readonly totalMs: number;
  /** Share of samples not idle (program + GC + native). */
  readonly busyPercent: number;
  readonly topFunctions: ReadonlyArray<{ name: string; percent: number }>;
  readonly byPackage: ReadonlyArray<{ name: string; percent: number }>;
}

/** Where a frame comes from: an npm package, a file of this repository, node: internals, or V8 (gc, idle...). */
function origin(url: string, functionName: string): string {
  if (url === '') return `(${functionName || 'native'})`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] ?? url;
  if (url.startsWith('node:')) return 'node: internals';
  const repo = /\/(apps|libs)\/([^/]+)\/src\/(.*)$/.exec(url);
  if (repo) return `${repo[1]}/${repo[2]}/${repo[3]?.split('/').slice(0, -1).join('/') || '.'}`;
  return url.replace(/^file:\/\//, '');
}

export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Self time per node: the sum of the time deltas of its samples (hitCount when there are no samples).
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0) {
    samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0)));
  } else {
    for (const n of profile.nodes) self.set(n.id, n.hitCount ?? 0);
  }
  let total = 0;
  let idle = 0;
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n) continue;
    total += us;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const short = url.replace(/^.*\/(node_modules|apps|libs)\//, '$1/').replace(/^file:\/\//, '');
    const fn = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    const pkg = origin(url, functionName);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const busy = total - idle;
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, percent: busy > 0 ? (100 * us) / busy : 0 }));
  return {
    file,
    totalMs: total / 1000,
    busyPercent: total > 0 ? (100 * busy) / total : 0,
    topFunctions: rank(fns),
    byPackage: rank(pkgs),
  };
}

export function profileLines(title: string, s: ProfileSummary): string[] {
  return [
    `${title}: ${(s.totalMs / 1000).toFixed(1)} s sampled, core busy ${s.busyPercent.toFixed(0)}% (${s.file})`,
    `  busy time by origin: ${s.byPackage.map((p) => `${p.name} ${p.percent.toFixed(1)}%`).join(', ')}`,
    `  top functions (self time): ${s.topFunctions.map((f) => `${f.name} ${f.percent.toFixed(1)}%`).join('; ')}`,
  ];
}
