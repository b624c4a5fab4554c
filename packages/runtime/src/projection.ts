import type { EngineEvent, EngineState, NodeRunState } from '@llmctl/engine';
import { upstreamOf } from '@llmctl/engine';
import type { NodeRun } from '@llmctl/contracts';
import type { RunProjection } from './ports.ts';

/** The runs-row projection of a state. */
export function runProjection(s: EngineState): RunProjection {
  return {
    status: s.status, input: s.input, output: s.output, error: s.error, warnings: s.warnings, leftover_tokens: s.leftover_tokens,
    started_at: s.started_at, finished_at: s.finished_at, running_ms: s.running_ms, running_since: s.running_since,
  };
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
    if ('node_run_id' in e) ids.add(e.node_run_id);
    switch (e.kind) {
      case 'node.queued':
        ids.add(e.node_run.id);
        snapshot.add(e.node_run.id);
        output.add(e.node_run.id);
        break;
      case 'node.started':
        snapshot.add(e.node_run_id);
        break;
      case 'node.succeeded':
      case 'node.skipped':
        output.add(e.node_run_id);
        break;
      case 'run.started':
        runInput = true;
        break;
      case 'run.rewound':
        for (const id of e.superseded) ids.add(id);
        if (e.input !== undefined) runInput = true;
        break;
      default:
        break;
    }
  }
  return {
    node_runs: [...ids].map((id) => s.node_runs[id]).filter((x): x is NodeRunState => !!x),
    snapshot: [...snapshot], output: [...output], run_input: runInput,
  };
}

/** The API shape of a node run (api.md "Main shapes"). */
export function nodeRunView(n: NodeRunState): NodeRun {
  return {
    id: n.id, node_id: n.node_id, node_type: n.node_type, iteration: n.iteration, status: n.status, outcome: n.outcome,
    fallback_used: n.fallback_used, degraded_reason: n.degraded_reason, warnings: n.warnings, error: n.error,
    input_snapshot: {
      tokens: n.tokens.map((t) => ({ connector_id: t.connector_id, source_node_id: t.source_node_id, source_node_run_id: t.source_node_run_id, output: t.output })),
      upstream: upstreamOf(n),
      ...(n.context ? { context: n.context } : {}),
    },
    output: n.output ?? null, routing: n.routing, attempts: n.attempts, idempotency_key: n.idempotency_key, retry_of: n.retry_of,
    rewound_from: n.rewound_from, started_at: n.started_at, finished_at: n.finished_at, usage: n.usage,
  };
}
