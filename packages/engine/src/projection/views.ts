/**
 * Views of a folded run (`RunFold` / `EngineState`): the run row, the node runs as the API shows them, and the joins —
 * tokens each join holds per incoming connector, and the tokens joins discarded. Pure data in, data out: the runtime
 * writes these rows, the studio renders them live, the CLI prints them.
 */
import type { LeftoverToken, NodeRun, Run } from '@llmctl/contracts';
import { upstreamOf } from '../run/decide.ts';
import type { EngineState, NodeRunState } from '../run/state.ts';
import type { RunFold } from './fold.ts';

/**
 * The run fields a log determines (the runs-row projection): the API `Run`'s fields of the log, plus the running time
 * the runtime guardrail needs.
 */
export type RunFoldView = Pick<Run, 'status' | 'input' | 'output' | 'error' | 'warnings' | 'leftover_tokens' | 'started_at' | 'finished_at'> & {
  running_ms: number;
  running_since: string | null;
};

/** The runs-row projection of a state. */
export function runView(s: EngineState): RunFoldView {
  return {
    status: s.status, input: s.input, output: s.output, error: s.error, warnings: s.warnings, leftover_tokens: s.leftover_tokens,
    started_at: s.started_at, finished_at: s.finished_at, running_ms: s.running_ms, running_since: s.running_since,
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
    ...(n.child_run ? { child_run: { ...n.child_run } } : {}),
  };
}

/** Every node run of the state, in creation order, as the API shows them. */
export function nodeRunViews(s: EngineState): NodeRun[] {
  return s.order.map((id) => s.node_runs[id]).filter((n): n is NodeRunState => !!n).map(nodeRunView);
}

/** A token a join holds or discarded, with the node that produced it. */
export interface JoinToken {
  connector_id: string;
  source_node_id: string | null;
  source_node_run_id: string | null;
  /** Sequence of the event that created the token (null for a discarded token: the log does not repeat it). */
  seq: number | null;
}

/** A discarded token: when, and why (`join.discarded`: its join's round closed without firing; `run_finished`: left over). */
export interface DiscardedJoinToken extends JoinToken {
  at: string | null;
  reason: 'join.discarded' | 'run_finished';
}

/** One join node as a reader sees it. */
export interface JoinView {
  node_id: string;
  /** FIFO tokens held per incoming connector id (connectors that held a token this run, possibly empty now). */
  queues: Record<string, JoinToken[]>;
  /** Tokens held over all connectors. */
  held: number;
  /** Connectors holding at least one token. */
  filled: number;
  /** A count-N join's round is open (tokens arrived, it may still fire). */
  round_open: boolean;
  /** Tokens this join discarded, oldest first. */
  discarded: DiscardedJoinToken[];
}

function sourceOf(s: EngineState, t: LeftoverToken): string | null {
  return s.node_runs[t.source_node_run_id]?.node_id ?? null;
}

/** Every join that held or discarded tokens in this run, by node id. */
export function joinViews(f: RunFold): Record<string, JoinView> {
  const s = f.state;
  const out: Record<string, JoinView> = {};
  const view = (id: string): JoinView => (out[id] ??= { node_id: id, queues: {}, held: 0, filled: 0, round_open: false, discarded: [] });
  for (const [id, j] of Object.entries(s.joins)) {
    const v = view(id);
    for (const [c, q] of Object.entries(j.queues)) {
      v.queues[c] = q.map((t) => ({ connector_id: c, source_node_id: t.source_node_id, source_node_run_id: t.source_node_run_id, seq: t.seq }));
    }
    Object.assign(v, { held: j.held, filled: j.filled, round_open: j.round_open });
  }
  for (const d of f.discarded) {
    for (const t of d.tokens) view(d.node_id).discarded.push({ connector_id: t.connector_id, source_node_id: sourceOf(s, t), source_node_run_id: t.source_node_run_id, seq: null, at: d.at, reason: 'join.discarded' });
  }
  for (const t of s.leftover_tokens) {
    view(t.node_id).discarded.push({ connector_id: t.connector_id, source_node_id: sourceOf(s, t), source_node_run_id: t.source_node_run_id, seq: null, at: s.finished_at, reason: 'run_finished' });
  }
  return out;
}
