import type { Engine, EngineId } from '../engines.ts';
import { mapSummary, summarize, type Summary } from '../stats.ts';
import { shapeLabel, workNodes, type Shape } from '../workloads.ts';

/** One engine on one shape: wall time of a run and time per work node. */
export interface ScalingCell {
  engine: EngineId;
  shape: Shape;
  label: string;
  workNodes: number;
  ms: Summary;
  perNodeMs: Summary;
  samples: number[];
  /** Set when the engine could not run the shape (the message). */
  error?: string;
  /** Set when the shape does not apply to the engine (why). */
  skipped?: string;
}

export interface ScalingPlan {
  shapes: Shape[];
  repsSmall: number;
  repsLarge: number;
  largeAbove: number;
}

/**
 * Runs every shape on every engine. Repetitions are interleaved (rep 1 of every engine, then rep 2, in a rotating
 * order), so load from elsewhere on the machine hits every engine alike. Small shapes get one untimed warm-up run.
 */
export async function runScaling(engines: Engine[], plan: ScalingPlan, log: (msg: string) => void): Promise<ScalingCell[]> {
  const cells: ScalingCell[] = [];
  for (const shape of plan.shapes) {
    const n = workNodes(shape);
    const large = n > plan.largeAbove;
    const reps = large ? plan.repsLarge : plan.repsSmall;
    const runners = new Map<EngineId, (input?: unknown) => Promise<number>>();
    const samples = new Map<EngineId, number[]>();
    const errors = new Map<EngineId, string>();
    const skipped = new Map<EngineId, string>();
    for (const e of engines) {
      samples.set(e.info.id, []);
      const na = e.notApplicable?.(shape) ?? null;
      if (na) {
        skipped.set(e.info.id, na);
        continue;
      }
      try {
        const run = await e.prepare(shape);
        if (!large) await run();
        runners.set(e.info.id, run);
      } catch (err) {
        errors.set(e.info.id, (err as Error).message);
      }
    }
    for (let rep = 0; rep < reps; rep++) {
      const order = engines.map((_, i) => engines[(i + rep) % engines.length]!);
      for (const e of order) {
        const run = runners.get(e.info.id);
        if (!run) continue;
        try {
          samples.get(e.info.id)!.push(await run());
        } catch (err) {
          errors.set(e.info.id, (err as Error).message);
          runners.delete(e.info.id);
        }
        e.reset();
      }
    }
    for (const e of engines) {
      const s = samples.get(e.info.id)!;
      const ms = summarize(s);
      const cell: ScalingCell = { engine: e.info.id, shape, label: shapeLabel(shape), workNodes: n, ms, perNodeMs: mapSummary(ms, (v) => v / n), samples: s };
      const error = errors.get(e.info.id);
      if (error) cell.error = error;
      const skip = skipped.get(e.info.id);
      if (skip) cell.skipped = skip;
      cells.push(cell);
      log(`  ${shapeLabel(shape).padEnd(18)} ${e.info.id.padEnd(20)} ${error ? `ERROR ${error}` : skip ? `n/a: ${skip}` : `median ${ms.median.toFixed(1)} ms (${(ms.median / n).toFixed(3)} ms/node)`}`);
    }
  }
  return cells;
}
