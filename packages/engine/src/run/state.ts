import type { Attempt, ChildRunRef, ErrorInfo, LeftoverToken, NodeRunStatus, RoutingRecord, RunStatus, Warning } from '@llmctl/contracts';

/** A token on a trigger connector: `{ source_node_run_id, output }` plus its ordering keys. */
export interface Token {
  connector_id: string | null;
  source_node_id: string | null;
  source_node_run_id: string | null;
  output: unknown;
  /** Sequence of the event that created the token, then connector document order: the token order. */
  seq: number;
  order: number;
}

/** Everything the engine knows about one node run (also the source of the node_runs projection). */
export interface NodeRunState {
  id: string;
  node_id: string;
  node_type: string;
  iteration: number;
  status: NodeRunStatus;
  tokens: Token[];
  idempotency_key: string;
  retry_of: string | null;
  rewound_from: string | null;
  queued_seq: number;
  created_order: number;
  started_seq: number | null;
  done_seq: number | null;
  context: Record<string, unknown> | null;
  output: unknown;
  routing: RoutingRecord | null;
  error: ErrorInfo | null;
  outcome: 'success' | 'success_with_warning' | null;
  fallback_used: boolean;
  degraded_reason: string | null;
  warnings: Warning[];
  attempts: Attempt[];
  usage: Record<string, unknown> | null;
  started_at: string | null;
  finished_at: string | null;
  /**
   * A `flowchart` node run's child run (`subflow.child_*` events). Optional, not null: node runs of other types, and
   * snapshots written before these events existed, have none.
   */
  child_run?: ChildRunRef;
}

export interface JoinState {
  /** FIFO token queue per incoming connector id. */
  queues: Record<string, Token[]>;
  /** count-N joins: a round is open from its first token until none of its inputs is live. */
  round_open: boolean;
  fired_in_round: boolean;
  /** Tokens held over all connectors. */
  held: number;
  /** Connectors holding at least one token. */
  filled: number;
}

/** The folded state of one run. Plain JSON data. */
export interface EngineState {
  run_id: string;
  status: RunStatus;
  /** Last applied event sequence. */
  seq: number;
  input: unknown;
  output: unknown;
  error: ErrorInfo | null;
  warnings: Warning[];
  leftover_tokens: LeftoverToken[];
  node_runs: Record<string, NodeRunState>;
  /** Node run ids in creation order. */
  order: string[];
  /** Queued node run ids, FIFO. */
  queue: string[];
  /** Running node run ids. */
  running: string[];
  joins: Record<string, JoinState>;
  /** Last iteration handed out per node. */
  iterations: Record<string, number>;
  /** Node runs started (retries included, superseded excluded): the max_node_executions guardrail. */
  executions: number;
  /** Number of rewinds so far (idempotency key suffix `:rev:<n>`). */
  rev: number;
  started_at: string | null;
  finished_at: string | null;
  continue_as_new: { input: unknown } | null;
  /** Position of the run in its continue-as-new chain (0 for a first run), from `run.started`. */
  continuation: number;
  /** Time spent running or pausing before `running_since` (the max_runtime_minutes guardrail). */
  running_ms: number;
  running_since: string | null;
}

/** A fresh state for a new run. */
export function initialState(runId: string): EngineState {
  return {
    run_id: runId, status: 'queued', seq: 0, input: null, output: null, error: null, warnings: [], leftover_tokens: [],
    node_runs: {}, order: [], queue: [], running: [], joins: {}, iterations: {}, executions: 0, rev: 0,
    started_at: null, finished_at: null, continue_as_new: null, continuation: 0, running_ms: 0, running_since: null,
  };
}

/** Idempotency key of a node run (runtime.md "Durability"). */
export function nodeRunKey(runId: string, nodeId: string, iteration: number, rev: number): string {
  return `run:${runId}:node:${nodeId}:iter:${iteration}${rev > 0 ? `:rev:${rev}` : ''}`;
}

/** Compares tokens by their order: event sequence, then connector document order. */
export function tokenOrder(a: Token, b: Token): number {
  return a.seq - b.seq || a.order - b.order;
}

/** Node runs that are queued or running. */
export function activeNodeRunIds(s: EngineState): string[] {
  return [...s.queue, ...s.running];
}
