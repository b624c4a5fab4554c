/**
 * The HTTP load of issue 17 on its own: N concurrent 3-node runs (start → scripted task → end) through the API of a
 * real `llmctl serve` process (POST /api/flowcharts/:id/runs, then GET /api/runs/:id?wait_s=30 until terminal), in
 * batches, optionally under `node --cpu-prof` (the server process's whole life; the top self and inclusive times are
 * printed). The same workload as the full benchmark's `server-load` section, without the rest of the run.
 *
 *   node --import tsx bench/src/serve-load.ts [--runs 200] [--batches 3] [--profile DIR] [--top 25]
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { summarizeProfile } from './profile.ts';
import { runStartup } from './sections/startup.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '200' }, batches: { type: 'string', default: '3' }, profile: { type: 'string' }, top: { type: 'string', default: '25' } },
  });
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
