import type { EngineId } from '../engines.ts';
import { epochMs, invertSummary, percentile, summarize, type Summary } from '../stats.ts';
import { MB, RssSampler, retainedHeapMb } from './memory.ts';

/** Engines the concurrency workload runs on. */
export type ConcurrencyEngine = Extract<EngineId, 'llmctl-task' | 'llmctl-pass' | 'langgraph-memory' | 'langgraph-pg-async' | 'dbos' | 'raw-commit' | 'restate'>;

/** N concurrent 3-node runs, repeated in batches, in a process of their own. */
export interface ConcurrencyResult {
  engine: ConcurrencyEngine;
  runs: number;
  batches: number;
  /** Wall time of a batch (all N runs started at once until the last one finished). */
  batchMs: Summary;
  runsPerSecond: Summary;
  /** Per-run latency (start call → terminal) over every run of every batch. */
  latencyMs: Summary;
  latencyP99: number;
  /** RSS after setup and warm-up, before the batches. */
  baselineRssMb: number;
  /** Peak RSS sampled during the batches, and the process's lifetime peak (getrusage). */
  peakRssMb: number;
  maxRssMb: number;
  peakHeapMb: number;
  /** Heap in use after a full GC once the batches finished. */
  retainedHeapMb: number;
  /** True when measured in a child process of its own. */
  isolated: boolean;
  /** Where the figures come from when not this process (Restate: its server process plus its SDK endpoint's). */
  measuredIn?: string;
  /** Set when the engine could not run here (why); the figures are then NaN. */
  skipped?: string;
}

/**
 * The harness's log line for one engine's result: its runs/s, p99 and RSS, or `skipped: <reason>` for an engine that
 * could not run here (its figures are NaN; a reason may already start with "skipped: ").
 */
export function concurrencyLine(r: ConcurrencyResult): string {
  const head = `  ${r.engine.padEnd(20)} `;
  if (r.skipped !== undefined) return `${head}${r.skipped.startsWith('skipped') ? r.skipped : `skipped: ${r.skipped}`}`;
  return `${head}${r.runsPerSecond.median.toFixed(0)} runs/s, p99 ${r.latencyP99.toFixed(0)} ms, peak RSS ${r.peakRssMb.toFixed(0)} MB (baseline ${r.baselineRssMb.toFixed(0)} MB)`;
}

/**
 * Runs the workload in this process (the child-process worker calls this too). Drivers are imported on demand, so a
 * child process holds only the modules of the engine it measures.
 */
export async function concurrencyTask(engine: ConcurrencyEngine, url: string, runs: number, batches: number, isolated: boolean): Promise<ConcurrencyResult> {
  if (engine === 'restate') return (await import('../restate-driver.ts')).restateConcurrencyTask(runs, batches, isolated);
  let run: () => Promise<number>;
  let close: () => Promise<void>;
  if (engine === 'llmctl-task' || engine === 'llmctl-pass') {
    const { LlmctlDriver } = await import('../llmctl-driver.ts');
    const { llmctlDocument } = await import('../llmctl-graphs.ts');
    const d = await LlmctlDriver.open(url);
    const id = await d.save(llmctlDocument({ kind: 'flow3' }, engine === 'llmctl-task' ? 'task' : 'pass'));
    run = async () => (await d.runOk(id)).ms;
    close = () => d.close();
  } else if (engine === 'dbos' || engine === 'raw-commit') {
    const d = engine === 'dbos'
      ? await (await import('../dbos-driver.ts')).DbosDriver.open(url)
      : await (await import('../raw-commit-driver.ts')).RawCommitDriver.open(url);
    run = d.compile({ kind: 'flow3' });
    close = () => d.close();
  } else {
    const { LangGraphDriver } = await import('../langgraph-driver.ts');
    const d = await LangGraphDriver.open(engine === 'langgraph-memory' ? 'memory' : 'postgres', { url });
    run = d.compile({ kind: 'flow3' });
    close = async () => {
      d.reset();
      await d.close();
    };
  }
  try {
    for (let i = 0; i < 5; i++) await run();
    (globalThis as { gc?: () => void }).gc?.();
    const baseline = process.memoryUsage().rss;
    const sampler = new RssSampler();
    sampler.start();
    const walls: number[] = [];
    const latencies: number[] = [];
    for (let b = 0; b < batches; b++) {
      const t0 = epochMs();
      const ms = await Promise.all(Array.from({ length: runs }, () => run()));
      walls.push(epochMs() - t0);
      latencies.push(...ms);
    }
    const peak = sampler.stop();
    const batchMs = summarize(walls);
    return {
      engine, runs, batches, batchMs, runsPerSecond: invertSummary(batchMs, (v) => (runs * 1000) / v),
      latencyMs: summarize(latencies), latencyP99: percentile(latencies, 99),
      baselineRssMb: baseline / MB, peakRssMb: peak.rss / MB, maxRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
      peakHeapMb: peak.heap / MB, retainedHeapMb: retainedHeapMb(), isolated,
    };
  } finally {
    await close();
  }
}
