/**
 * Flowchart document v1 (see shared/spec/flowchart-v1.md). These types mirror `schemas/flowchart-v1.schema.json`.
 */

/** Every node type the runtime knows. */
export const NODE_TYPES = ['start', 'end', 'task', 'decision', 'memory', 'plan', 'milestone', 'rag', 'flowchart'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

/** Fan-in policy of a join (a node with two or more incoming trigger connectors). */
export type FanIn =
  | { policy: 'inclusive' }
  | { policy: 'all' }
  | { policy: 'any' }
  | { policy: 'count'; count: number };

export interface RetryPolicy {
  max_attempts?: number;
  backoff_ms?: number;
}

export interface FlowchartNode {
  id: string;
  type: NodeType;
  name?: string;
  config?: Record<string, unknown>;
  retry?: RetryPolicy;
  timeout_s?: number;
  fan_in?: FanIn;
  ui?: Record<string, unknown>;
  /** Where this node's attempts run (overrides the flowchart's and the runtime setting; docs/executors.md). */
  executor?: ExecutorBackendName;
  /** `false`: a vllm-class attempt without a GPU fails with `gpu_unavailable` instead of running on the CPU image. */
  gpu_fallback?: boolean;
}

/** Executor backends (docs/executors.md). */
export type ExecutorBackendName = 'inline' | 'queue' | 'kubernetes';

/** Flowchart-wide executor choices (`settings.executor`, `settings.gpu_fallback`). */
export interface FlowchartExecutorSettings {
  executor?: ExecutorBackendName;
  gpu_fallback?: boolean;
}

export type EdgeMode = 'trigger' | 'context';

export interface FlowchartEdge {
  id: string;
  source: string;
  target: string;
  mode?: EdgeMode;
  condition?: string;
  route_key?: string;
  fallback?: boolean;
  required?: boolean;
  ui?: Record<string, unknown>;
}

export interface FlowchartSettings {
  max_node_executions?: number;
  max_runtime_minutes?: number;
  max_parallel_nodes?: number;
  /** Continue-as-new hops a chain may make (the run with `continuation` = this limit fails instead of continuing). */
  max_continuations?: number;
}

export interface FlowchartDocument {
  schema_version: 1;
  name: string;
  description?: string;
  settings?: FlowchartSettings & FlowchartExecutorSettings;
  nodes: FlowchartNode[];
  edges: FlowchartEdge[];
}

/** One validation problem (error or warning). */
export interface ValidationIssue {
  code: string;
  message: string;
  node_id?: string;
  edge_id?: string;
  path: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
}

/** Task node config (`config` of a `task` node). */
export interface TaskConfig {
  model: string;
  prompt: string;
  system?: string;
  output_schema?: Record<string, unknown>;
  max_repair_attempts?: number;
  tools?: string[];
  temperature?: number;
  max_tokens?: number;
}

/** Decision node config. */
export interface DecisionConfig {
  mode?: 'deterministic' | 'llm_guided';
  match?: 'first' | 'all';
  model?: string;
  prompt?: string;
}

/** Default guardrails when a flowchart's settings leave them out. */
export const DEFAULT_SETTINGS: Required<FlowchartSettings> = {
  max_node_executions: 500,
  max_runtime_minutes: 60,
  max_parallel_nodes: 8,
  max_continuations: 100,
};
