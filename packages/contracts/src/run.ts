/** Run and node-run shapes of the API (shared/spec/api.md "Main shapes"). */

export const RUN_STATUSES = ['queued', 'running', 'pausing', 'paused', 'canceling', 'succeeded', 'failed', 'canceled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'pausing', 'paused', 'canceling'];
/** The statuses a run ends in. */
export const RUN_END_STATUSES = ['succeeded', 'failed', 'canceled'] as const satisfies readonly RunStatus[];
const RUN_END = new Set<string>(RUN_END_STATUSES);
/** True when `status` is one a run ends in (succeeded, failed, canceled). */
export function isRunEndStatus(status: string): boolean {
  return RUN_END.has(status);
}

export const NODE_RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled', 'skipped', 'superseded'] as const;
export type NodeRunStatus = (typeof NODE_RUN_STATUSES)[number];

export type RoutingState = 'matched' | 'fallback' | 'no_route' | 'terminal';

export interface EvaluatedCondition {
  connector_id: string;
  result?: unknown;
  error?: { code: string; message: string };
}

/** The routing record persisted with every succeeded or skipped node run. */
export interface RoutingRecord {
  matched_connector_ids: string[];
  route_key: string | null;
  route_keys: string[];
  routing_state: RoutingState;
  evaluated: EvaluatedCondition[];
}

/** Every error in the system, on node runs, runs, tool results and the API envelope. */
export interface ErrorInfo {
  code: string;
  message: string;
  details: Record<string, unknown>;
  retryable: boolean;
}

export interface Warning {
  code: string;
  message: string;
}

export interface Attempt {
  n: number;
  started_at: string;
  finished_at: string | null;
  error: ErrorInfo | null;
  /** Where this attempt ran (executors.md "Dispatch contract"). */
  executor?: ExecutorInfo;
}

/** Where a node attempt ran and how far its dispatch got (executors.md). */
export interface ExecutorInfo {
  backend: 'inline' | 'queue' | 'kubernetes';
  class: 'frontier' | 'vllm';
  worker_id: string | null;
  job_id: string | null;
  image: string | null;
  dispatch_state: 'pending' | 'submitted' | 'confirmed' | 'finished' | 'failed';
  degraded_reason: string | null;
}

export interface InputSnapshot {
  tokens: { connector_id: string | null; source_node_run_id: string | null; source_node_id: string | null; output: unknown }[];
  upstream: Record<string, unknown>;
  context?: Record<string, unknown>;
}

export interface NodeRun {
  id: string;
  node_id: string;
  node_type: string;
  iteration: number;
  status: NodeRunStatus;
  outcome: 'success' | 'success_with_warning' | null;
  fallback_used: boolean;
  degraded_reason: string | null;
  warnings: Warning[];
  error: ErrorInfo | null;
  input_snapshot: InputSnapshot;
  output: unknown;
  routing: RoutingRecord | null;
  attempts: Attempt[];
  idempotency_key: string;
  retry_of: string | null;
  rewound_from: string | null;
  started_at: string | null;
  finished_at: string | null;
  usage: Record<string, unknown> | null;
  /** The last attempt's executor (executors.md "Dispatch contract"). */
  executor?: ExecutorInfo;
  /**
   * The child run a `flowchart` node run started, as the parent's log records it (`subflow.child_started` /
   * `subflow.child_finished`); absent for every other node run.
   */
  child_run?: ChildRunRef;
}

/** How a child run ended, as its parent's log records it. */
export const CHILD_RUN_END_STATUSES = RUN_END_STATUSES;
export type ChildRunEndStatus = (typeof CHILD_RUN_END_STATUSES)[number];

/** A `flowchart` node run's child run, folded from the parent's log. */
export interface ChildRunRef {
  /** The child run's id (`GET /api/runs/:id` has its output and node runs). */
  id: string;
  flowchart_id: string;
  /** `started` until the parent's log records the child's end. */
  status: 'started' | ChildRunEndStatus;
  /** The child run's error when it failed or was canceled with one. */
  error: ErrorInfo | null;
  started_at: string;
  finished_at: string | null;
}

export interface LeftoverToken {
  node_id: string;
  connector_id: string;
  source_node_run_id: string;
}

export interface Run {
  id: string;
  flowchart_id: string;
  flowchart_version: number;
  status: RunStatus;
  input: unknown;
  output: unknown;
  error: ErrorInfo | null;
  warnings: Warning[];
  leftover_tokens: LeftoverToken[];
  continued_from: string | null;
  continued_to: string | null;
  /** Position in a continue-as-new chain: 0 for a first run, +1 per continue-as-new (`run.continuation` in conditions). */
  continuation?: number;
  parent_run_id: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  node_runs?: NodeRun[];
}

export const CONTROL_ACTIONS = ['pause', 'resume', 'cancel', 'retry', 'skip', 'rewind'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

export interface ControlRequest {
  action: ControlAction;
  node_run_id?: string;
  output?: unknown;
  input_override?: unknown;
  mode?: 'now' | 'graceful';
  reason?: string;
}
