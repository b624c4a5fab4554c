import type { EngineEvent, EngineState, NodeRunState } from '@llmctl/engine';
import { eventTypeOf, upstreamOf } from '@llmctl/engine';
import type { NodeRun } from '@llmctl/contracts';
import type { Commit, RunProjection } from './ports.ts';

/** The runs-row projection of a state. */
export function runProjection(s: EngineState): RunProjection {
  return {
    status: s.status, input: s.input, output: s.output, error: s.error, warnings: s.warnings, leftover_tokens: s.leftover_tokens,
    started_at: s.started_at, finished_at: s.finished_at, running_ms: s.running_ms, running_since: s.running_since,
  };
}

/** Node runs an event batch touched (their rows are upserted with the commit). */
export function touchedNodeRuns(s: EngineState, events: EngineEvent[]): NodeRunState[] {
  const ids = new Set<string>();
  for (const e of events) {
    if ('node_run_id' in e) ids.add(e.node_run_id);
    if (e.kind === 'node.queued') ids.add(e.node_run.id);
    if (e.kind === 'run.rewound') for (const id of e.superseded) ids.add(id);
  }
  return [...ids].map((id) => s.node_runs[id]).filter((x): x is NodeRunState => !!x);
}

/** Builds the commit for a batch of events already folded into `s` (which started at `expected`). */
export function buildCommit(
  s: EngineState,
  expected: number,
  events: EngineEvent[],
  lease: Commit['lease'],
  meta: { newEventId: () => string; request_id: string | null; correlation_id: string | null },
): Commit {
  return {
    run_id: s.run_id,
    expected_sequence: expected,
    lease,
    events: events.map((payload, i) => ({
      sequence: expected + i + 1, event_id: meta.newEventId(), event_type: eventTypeOf(payload), payload,
      request_id: meta.request_id, correlation_id: meta.correlation_id,
    })),
    node_runs: touchedNodeRuns(s, events),
    run: runProjection(s),
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
