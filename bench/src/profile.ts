/** Reads a V8 `.cpuprofile` (from `node --cpu-prof`) into self-time and inclusive-time tables. */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** One row of a profile table. */
export interface ProfileRow {
  /** `function (file:line)`, file relative to the repository. */
  frame: string;
  ms: number;
  share: number;
}

/** Self and inclusive time per function, and total / idle time. */
export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  gcMs: number;
  self: ProfileRow[];
  inclusive: ProfileRow[];
  /** Self time per package / area (`@llmctl/engine`, `pg`, `node:internal`, …). */
  byArea: ProfileRow[];
  /** Inclusive time of llmctl's own functions (packages/, apps/). */
  ownInclusive: ProfileRow[];
}

function shortUrl(url: string): string {
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) return u.slice(nm + 'node_modules/'.length);
  const m = /\/(packages|apps|bench)\/(.*)$/.exec(u);
  return m ? `${m[1]}/${m[2]}` : u || '(native)';
}

function areaOf(url: string, fn: string): string {
  if (fn === '(idle)' || fn === '(program)' || fn === '(garbage collector)') return fn;
  const u = shortUrl(url);
  if (u.startsWith('packages/')) return `@llmctl/${u.split('/')[1]}`;
  if (u.startsWith('apps/')) return `apps/${u.split('/')[1]}`;
  if (u.startsWith('bench/')) return 'bench harness';
  if (u.startsWith('node:') || u === '(native)') return 'node internals / native';
  const parts = u.split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Summarises a profile: the `top` heaviest functions by self and inclusive time. */
export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const frameOf = (n: ProfileNode): string => {
    const f = n.callFrame;
    return `${f.functionName || '(anonymous)'} (${shortUrl(f.url)}:${f.lineNumber + 1})`;
  };
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const area = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let gc = 0;
  // Samples taken while the profiler itself was being stopped (inspector `post`) are not part of the workload.
  const isProfilerFrame = (id: number): boolean => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      if (byId.get(cur)!.callFrame.url === 'node:inspector') return true;
    }
    return false;
  };
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    if (isProfilerFrame(id)) continue;
    total += us;
    const fn = n.callFrame.functionName;
    if (fn === '(idle)') idle += us;
    if (fn === '(garbage collector)') gc += us;
    self.set(frameOf(n), (self.get(frameOf(n)) ?? 0) + us);
    const a = areaOf(n.callFrame.url, fn);
    area.set(a, (area.get(a) ?? 0) + us);
    // inclusive: every distinct frame on the stack gets the sample once
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const fr = frameOf(byId.get(cur)!);
      if (seen.has(fr)) continue;
      seen.add(fr);
      incl.set(fr, (incl.get(fr) ?? 0) + us);
    }
  }
  const busy = Math.max(1, total - idle);
  const rows = (m: Map<string, number>, skip: (k: string) => boolean): ProfileRow[] =>
    [...m].filter(([k]) => !skip(k)).sort((a, b) => b[1] - a[1]).slice(0, top).map(([frame, us]) => ({ frame, ms: us / 1000, share: us / busy }));
  const meta = (k: string): boolean => /^\((idle|root|program)\)/.test(k);
  return {
    totalMs: total / 1000, idleMs: idle / 1000, gcMs: gc / 1000,
    self: rows(self, meta),
    inclusive: rows(incl, (k) => meta(k) || k.startsWith('(anonymous) (:') || k.startsWith('processTicksAndRejections')),
    byArea: rows(area, (k) => k === '(idle)'),
    ownInclusive: rows(incl, (k) => !/ \((packages|apps)\//.test(k) || k.startsWith('(anonymous)')),
  };
}
