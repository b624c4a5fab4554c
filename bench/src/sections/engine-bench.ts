import { passThroughNotApplicable } from '../engines.ts';
import { LlmctlDriver } from '../llmctl-driver.ts';
import { llmctlDocument } from '../llmctl-graphs.ts';
import { mapSummary, summarize, type Summary } from '../stats.ts';
import { shapeLabel, workNodes, type NodeVariant, type Shape } from '../workloads.ts';
import { MB, RssSampler, retainedHeapMb } from './memory.ts';

/** One row of issue 4's engine benchmark: llmctl alone, durable on PostgreSQL. */
export interface EngineBenchRow {
  shape: Shape;
  label: string;
  variant: NodeVariant;
  workNodes: number;
  ms: Summary;
  perNodeMs: Summary;
}

export interface EngineBenchResult {
  rows: EngineBenchRow[];
  /** Peak RSS / heap of the process while the workloads ran. */
  peakRssMb: number;
  peakHeapMb: number;
  /** Heap in use after a full GC once the workloads finished (what the process keeps). */
  retainedHeapMb: number;
  isolated: boolean;
}

/** Issue 4's engine benchmark (200-node chain, 1→500→1, 200-iteration loop): ms per node and peak memory. */
export async function engineBenchTask(url: string, shapes: Shape[], reps: number, isolated: boolean): Promise<EngineBenchResult> {
  const d = await LlmctlDriver.open(url);
  try {
    // Warm-up: pool connections, JIT, plan caches (a fresh process measures the steady state, not its first runs).
    for (const variant of ['pass', 'task'] as const) {
      const id = await d.save(llmctlDocument({ kind: 'chain', nodes: 10 }, variant));
      for (let i = 0; i < 5; i++) await d.runOk(id);
    }
    const sampler = new RssSampler();
    sampler.start();
    const rows: EngineBenchRow[] = [];
    for (const shape of shapes) {
      for (const variant of passThroughNotApplicable(shape) ? (['task'] as const) : (['pass', 'task'] as const)) {
        const id = await d.save(llmctlDocument(shape, variant));
        await d.runOk(id);
        const samples: number[] = [];
        for (let i = 0; i < reps; i++) samples.push((await d.runOk(id)).ms);
        const ms = summarize(samples);
        const n = workNodes(shape);
        rows.push({ shape, label: shapeLabel(shape), variant, workNodes: n, ms, perNodeMs: mapSummary(ms, (v) => v / n) });
      }
    }
    const peak = sampler.stop();
    return { rows, peakRssMb: peak.rss / MB, peakHeapMb: peak.heap / MB, retainedHeapMb: retainedHeapMb(), isolated };
  } finally {
    await d.close();
  }
}
