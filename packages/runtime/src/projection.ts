import { eventEffect, nodeRunView, runView, type EngineEvent, type EngineState, type NodeRunState } from '@llmctl/engine';
import type { RunProjection } from './ports.ts';

/** The node-run API view: the engine's shared projection (one interpretation of the log for every reader). */
export { nodeRunView };

/** The runs-row projection of a state (the engine's shared {@link runView}). */
export function runProjection(s: EngineState): RunProjection {
  return runView(s);
}

/** What a batch of events changed: the node runs it touched and which of their large fields it rewrote. */
export interface BatchWrites {
  node_runs: NodeRunState[];
  /** Node runs whose input snapshot changed (queued: tokens; started: context). */
  snapshot: string[];
  /** Node runs whose output or routing changed (succeeded, skipped). */
  output: string[];
  /** The run input changed (run start, rewind with an input override). */
  run_input: boolean;
}

/** The node runs an event batch touched and the large fields it changed (so unchanged ones are not rewritten). */
export function batchWrites(s: EngineState, events: EngineEvent[]): BatchWrites {
  const ids = new Set<string>();
  const snapshot = new Set<string>();
  const output = new Set<string>();
  let runInput = false;
  for (const e of events) {
    const x = eventEffect(e);
    for (const id of x.node_run_ids) ids.add(id);
    for (const id of x.snapshot) snapshot.add(id);
    for (const id of x.output) output.add(id);
    runInput ||= x.run_input;
  }
  return {
    node_runs: [...ids].map((id) => s.node_runs[id]).filter((x): x is NodeRunState => !!x),
    snapshot: [...snapshot], output: [...output], run_input: runInput,
  };
}
