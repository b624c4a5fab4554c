import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openCluster } from './cluster.ts';
import { ENGINES, openEngines, type EngineId, type EngineInfo } from './engines.ts';
import { describeMachine, loadNow, type MachineInfo } from './machine.ts';
import type { BenchOptions, Section } from './options.ts';
import { summarizeProfile, type ProfileSummary } from './profile.ts';
import { concurrencyLine, concurrencyTask, type ConcurrencyResult } from './sections/concurrency.ts';
import { engineBenchTask, type EngineBenchResult } from './sections/engine-bench.ts';
import { probeAbortAfterSuccess, type AbortProbe } from './sections/abort-probe.ts';
import { probeNesting, runFootprint, type AmplificationResult, type FootprintResult, type NestingProbe } from './sections/footprint.ts';
import { runEventLatency, runLatency, type EventLatency, type LatencyResult } from './sections/latency.ts';
import { runScaling, type ScalingCell } from './sections/scaling.ts';
import { runStartup, type ServerLoadResult, type StartupResult } from './sections/startup.ts';
import { runStoreLatency, type StoreLatencyRow } from './sections/store-latency.ts';
import { runTransport, type TransportRow } from './sections/transport.ts';
import { plainNodeRssMb, runInWorker } from './spawn-worker.ts';
import { nowMs } from './stats.ts';
import { shapeLabel, type Shape } from './workloads.ts';

/** A CPU profile of one llmctl workload. */
export interface ProfileResult {
  shape: Shape;
  variant: 'pass' | 'task';
  label: string;
  ms: number;
  file: string;
  summary: ProfileSummary;
}

/** Everything one benchmark run measured (rendered by report/markdown.ts, saved as JSON too). */
export interface BenchReport {
  mode: BenchOptions['mode'];
  startedAt: string;
  durationMs: number;
  machine: MachineInfo;
  cluster: { embedded: boolean; fast: boolean };
  /** Where llmctl's composition came from (`server`: @llmctl/server's composeRuntime). */
  composition: string;
  engines: EngineInfo[];
  options: BenchOptions;
  scaling: ScalingCell[];
  engineBench: EngineBenchResult | null;
  latency: LatencyResult[];
  events: EventLatency[];
  footprint: FootprintResult[];
  amplification: AmplificationResult[];
  nesting: NestingProbe | null;
  abortProbe: AbortProbe | null;
  /** RSS of an idle `node --import tsx` process (what every measured process starts from). */
  emptyProcessRssMb: number | null;
  /** RSS of an idle plain `node` process. */
  plainNodeRssMb: number | null;
  concurrency: ConcurrencyResult[];
  profiles: ProfileResult[];
  store: StoreLatencyRow[];
  /** TCP loopback against a Unix-domain socket (embedded cluster only). */
  transport: TransportRow[];
  startup: StartupResult | null;
  serverLoad: ServerLoadResult | null;
  sections: Section[];
  /** Wall time of each section (ms). */
  sectionMs: Record<string, number>;
  /** Section failures and errors the orchestrator logged (a healthy run has none). */
  errors: string[];
}

/** Where a run writes its artefacts (CPU profiles). */
export interface HarnessContext {
  resultsDir: string;
  log: (msg: string) => void;
}

/**
 * Runs the benchmark in this process (plus child processes for the isolated sections) and returns the report.
 * A failing section is recorded in `errors` and the others still run.
 */
export async function runBench(o: BenchOptions, ctx: HarnessContext): Promise<BenchReport> {
  const t0 = nowMs();
  const startedAt = new Date().toISOString();
  const log = ctx.log;
  const on = (s: Section): boolean => !o.skip.includes(s);
  log(`llmctl benchmark (${o.mode}) — starting ${o.adminUrl ? 'on the given PostgreSQL' : `an embedded PostgreSQL${o.fastCluster ? ' (fsync off)' : ''}`}`);
  const cluster = await openCluster({ adminUrl: o.adminUrl, fast: o.fastCluster });
  const report: BenchReport = {
    mode: o.mode, startedAt, durationMs: 0, machine: describeMachine(cluster), cluster: { embedded: cluster.embedded, fast: o.fastCluster },
    composition: 'unknown', engines: o.engines.map((id: EngineId) => ENGINES[id]), options: o,
    scaling: [], engineBench: null, latency: [], events: [], footprint: [], amplification: [], nesting: null, abortProbe: null, emptyProcessRssMb: null, plainNodeRssMb: null, concurrency: [],
    profiles: [], store: [], transport: [], startup: null, serverLoad: null, sections: [], sectionMs: {}, errors: [],
  };
  const section = async (name: Section, title: string, fn: () => Promise<void>): Promise<void> => {
    if (!on(name)) return;
    const s0 = nowMs();
    log(`\n== ${title}`);
    try {
      await fn();
      report.sections.push(name);
    } catch (err) {
      report.errors.push(`${name}: ${(err as Error).stack ?? String(err)}`);
      log(`  FAILED: ${(err as Error).message}`);
    }
    report.sectionMs[name] = nowMs() - s0;
    log(`  (${((nowMs() - s0) / 1000).toFixed(1)} s)`);
  };
  try {
    const group = await openEngines(cluster, o.engines);
    report.composition = group.llmctl?.source ?? 'n/a';
    try {
      await section('scaling', 'Scaling: chain, fan-out, loop on every engine', async () => {
        report.scaling = await runScaling(group.engines, o, log);
      });
      await section('latency', 'End-to-end latency of a 3-node run; event commit-to-delivery latency', async () => {
        report.latency = await runLatency(group.engines, o.latencyRuns, log);
        if (group.llmctl) report.events = await runEventLatency(group.llmctl, o.latencyRuns, log);
        if (group.llmctl) report.store = await runStoreLatency(group.llmctl, o.storeQueries, log);
      });
    } finally {
      if (group.llmctl) report.errors.push(...group.llmctl.errors.map((e) => `orchestrator: ${e}`));
      await group.close();
    }
    await section('transport', 'Transport: TCP loopback vs Unix-domain socket', async () => {
      report.transport = await runTransport(cluster, o.transportShape, o.transportReps, o.storeQueries, log);
      if (report.transport.length === 0) log('  skipped: no Unix-domain socket on an external server');
    });
    await section('engine', 'Issue 4 engine benchmark (llmctl alone, durable)', async () => {
      const url = (await cluster.database('bench_engine_')).url;
      report.engineBench = o.isolateEngine
        ? await runInWorker<EngineBenchResult>({ kind: 'engine', url, shapes: o.engineShapes, reps: o.engineReps })
        : await engineBenchTask(url, o.engineShapes, o.engineReps, false);
      for (const r of report.engineBench.rows) log(`  ${r.label.padEnd(18)} ${r.variant.padEnd(5)} ${r.perNodeMs.median.toFixed(3)} ms/node`);
      log(`  peak RSS ${report.engineBench.peakRssMb.toFixed(0)} MB`);
    });
    await section('footprint', 'Database rows and bytes written per node run', async () => {
      const f = await runFootprint(cluster, o.footprintShapes, o.amplification, log);
      report.footprint = f.footprint;
      report.amplification = f.amplification;
      report.nesting = await probeNesting(cluster, 20);
      log(`  pass-through loop of ${report.nesting.iterations} iterations: output nested ${report.nesting.depth} levels deep`);
      report.abortProbe = await probeAbortAfterSuccess();
      log(`  abort signals fired after a successful node: ${report.abortProbe.abortedAfterSuccess} of ${report.abortProbe.nodeRuns}`);
    });
    await section('concurrency', `${o.concurrentRuns} concurrent 3-node runs (${o.isolate ? 'one process per engine' : 'in process'})`, async () => {
      if (o.isolate) {
        report.emptyProcessRssMb = (await runInWorker<{ rssMb: number }>({ kind: 'empty' })).rssMb;
        report.plainNodeRssMb = await plainNodeRssMb();
        log(`  idle processes: node ${report.plainNodeRssMb.toFixed(0)} MB, node --import tsx ${report.emptyProcessRssMb.toFixed(0)} MB RSS`);
      }
      for (const engine of o.concurrencyEngines) {
        const url = (await cluster.database('bench_conc_')).url;
        const r = o.isolate
          ? await runInWorker<ConcurrencyResult>({ kind: 'concurrency', engine, url, runs: o.concurrentRuns, batches: o.concurrentBatches })
          : await concurrencyTask(engine, url, o.concurrentRuns, o.concurrentBatches, false);
        report.concurrency.push(r);
        log(concurrencyLine(r));
      }
    });
    await section('profile', 'CPU profiles of llmctl workloads', async () => {
      const dir = join(ctx.resultsDir, 'profiles');
      await mkdir(dir, { recursive: true });
      for (const shape of o.profileShapes) {
        const url = (await cluster.database('bench_prof_')).url;
        const file = join(dir, `llmctl-${shapeLabel(shape).replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`);
        const r = await runInWorker<{ ms: number; file: string; variant: 'pass' | 'task' }>({ kind: 'profile', url, shape, file });
        const summary = summarizeProfile(r.file, 60);
        report.profiles.push({ shape, variant: r.variant, label: shapeLabel(shape), ms: r.ms, file: r.file, summary });
        log(`  ${shapeLabel(shape).padEnd(18)} ${r.ms.toFixed(0)} ms, main thread busy ${((1 - summary.idleMs / summary.totalMs) * 100).toFixed(0)}%`);
      }
    });
  } finally {
    await cluster.stop();
  }
  if (on('startup') || on('server-load')) {
    await section(on('startup') ? 'startup' : 'server-load', 'llmctl serve: cold and warm start-up; HTTP load on the server', async () => {
      const r = await runStartup({
        cold: on('startup') ? o.coldStarts : 0, warm: on('startup') ? o.warmStarts : 0,
        load: on('server-load') ? { runs: o.concurrentRuns, batches: o.concurrentBatches } : null,
        profileDir: on('profile') ? join(ctx.resultsDir, 'profiles') : undefined,
      }, log);
      if (on('startup')) report.startup = r.startup;
      report.serverLoad = r.load;
      if (r.startup.skipped) log(`  start-up: ${r.startup.skipped}`);
      if (on('server-load') && on('startup')) report.sections.push('server-load');
    });
  }
  report.machine.loadEnd = loadNow();
  report.durationMs = nowMs() - t0;
  return report;
}
