/**
 * The HTTP load of issue 17 on its own: N concurrent 3-node runs (start → scripted task → end) through the API of a
 * real `llmctl serve` process (POST /api/flowcharts/:id/runs, then GET /api/runs/:id?wait_s=30 until terminal), in
 * batches, optionally under `node --cpu-prof` (the server process's whole life; the top self and inclusive times are
 * printed). The same workload as the full benchmark's `server-load` section, without the rest of the run.
 *
 *   node --import tsx bench/src/serve-load.ts [--runs 200] [--batches 3] [--profile DIR] [--top 25]
 *
 * A/B on a loaded machine: `--a ROOT --b ROOT` (two checkouts of the repository, e.g. git worktrees) start both servers
 * at once and alternate single batches between them (A B, B A, …) for `--batches` rounds, so both see the same load;
 * it prints each batch's server / PostgreSQL / client CPU per run and the median of the per-round B ÷ A ratios. The
 * first `--warmup` rounds (default 2: the JIT still compiles the hot path) are run but not counted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { summarizeProfile } from './profile.ts';
import { runStartup, serve, serverLoad, type ServerLoadResult } from './sections/startup.ts';

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** See the file comment (`--a`, `--b`). */
async function compare(roots: { a: string; b: string }, runs: number, rounds: number, warmup: number): Promise<void> {
  const dirs = { a: await mkdtemp(join(tmpdir(), 'llmctl-ab-a-')), b: await mkdtemp(join(tmpdir(), 'llmctl-ab-b-')) };
  const servers = { a: await serve(dirs.a, undefined, roots.a), b: await serve(dirs.b, undefined, roots.b) };
  const rows: Record<'a' | 'b', ServerLoadResult[]> = { a: [], b: [] };
  try {
    for (let i = 0; i < warmup + rounds; i++) {
      for (const side of (i % 2 === 0 ? ['a', 'b'] : ['b', 'a']) as ('a' | 'b')[]) {
        const r = await serverLoad(servers[side], runs, 1);
        if (r.skipped) throw new Error(`${side}: ${r.skipped}`);
        if (i >= warmup) rows[side].push(r);
        console.error(`round ${i + 1}${i < warmup ? ' (warm-up)' : ''} ${side}: ${r.runsPerSecond.median.toFixed(1)} runs/s, CPU ms/run server ${r.serverCpuMsPerRun!.toFixed(2)} postgres ${r.postgresCpuMsPerRun!.toFixed(2)} client ${r.clientCpuMsPerRun!.toFixed(2)}`);
      }
    }
  } finally {
    await Promise.all([servers.a.stop(), servers.b.stop()]);
    for (const d of Object.values(dirs)) await rm(d, { recursive: true, force: true }).catch(() => undefined);
  }
  const field = (side: 'a' | 'b', f: 'serverCpuMsPerRun' | 'postgresCpuMsPerRun' | 'clientCpuMsPerRun') => rows[side].map((r) => r[f]!);
  const ratio = (f: 'serverCpuMsPerRun' | 'postgresCpuMsPerRun' | 'clientCpuMsPerRun') => median(field('b', f).map((v, i) => v / field('a', f)[i]!));
  const rps = (side: 'a' | 'b') => rows[side].map((r) => r.runsPerSecond.median);
  console.log(JSON.stringify({
    a: roots.a, b: roots.b, runs, rounds,
    medianMsPerRun: Object.fromEntries((['a', 'b'] as const).map((side) => [side, { server: median(field(side, 'serverCpuMsPerRun')), postgres: median(field(side, 'postgresCpuMsPerRun')), client: median(field(side, 'clientCpuMsPerRun')), runsPerSecond: median(rps(side)) }])),
    ratioBoverA: { server: ratio('serverCpuMsPerRun'), postgres: ratio('postgresCpuMsPerRun'), client: ratio('clientCpuMsPerRun'), runsPerSecond: median(rps('b').map((v, i) => v / rps('a')[i]!)) },
  }, null, 2));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '200' }, batches: { type: 'string', default: '3' }, profile: { type: 'string' }, top: { type: 'string', default: '25' },
      a: { type: 'string' }, b: { type: 'string' }, warmup: { type: 'string', default: '2' },
    },
  });
  if (values.a !== undefined || values.b !== undefined) {
    if (!values.a || !values.b) throw new Error('--a and --b name two checkouts of the repository');
    await compare({ a: values.a, b: values.b }, Number(values.runs), Number(values.batches), Number(values.warmup));
    return;
  }
  const profileDir = values.profile ?? (process.argv.includes('--profile') ? await mkdtemp(join(tmpdir(), 'llmctl-serve-prof-')) : undefined);
  const { load } = await runStartup({ cold: 0, warm: 0, load: { runs: Number(values.runs), batches: Number(values.batches) }, profileDir }, (m) => console.error(m));
  if (!load || load.skipped) throw new Error(`server load not measured: ${load?.skipped ?? 'no result'}`);
  const out: Record<string, unknown> = {
    runs: load.runs, batches: load.batches, runsPerSecond: load.runsPerSecond, latencyMs: load.latencyMs, latencyP99: load.latencyP99,
    peakRssMb: Math.round(load.peakRssMb), serverCpuMsPerRun: load.serverCpuMsPerRun, postgresCpuMsPerRun: load.postgresCpuMsPerRun, clientCpuMsPerRun: load.clientCpuMsPerRun,
  };
  if (load.profile) {
    const top = Number(values.top);
    const s = summarizeProfile(load.profile.file, top);
    out.profile = {
      file: load.profile.file, totalMs: Math.round(s.totalMs), idleMs: Math.round(s.idleMs), gcMs: Math.round(s.gcMs),
      byArea: s.byArea.slice(0, top).map((r) => `${r.ms.toFixed(0)} ms ${(r.share * 100).toFixed(1)}% ${r.frame}`),
      self: s.self.slice(0, top).map((r) => `${r.ms.toFixed(0)} ms ${(r.share * 100).toFixed(1)}% ${r.frame}`),
      ownInclusive: s.ownInclusive.slice(0, top).map((r) => `${r.ms.toFixed(0)} ms ${(r.share * 100).toFixed(1)}% ${r.frame}`),
    };
  }
  console.log(JSON.stringify(out, null, 2));
}

await main();
