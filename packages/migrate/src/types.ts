import type { FlowchartDocument } from '@llmctl/contracts';

/** A node of llmctl's graph API / migration snapshot (`GET /api/flowcharts/<id>/graph`). */
export interface LegacyNode {
  id: number;
  node_type: string;
  title?: string | null;
  ref_id?: number | null;
  x?: number;
  y?: number;
  config?: Record<string, unknown> | string | null;
  model_id?: number | null;
  mcp_server_ids?: number[];
  script_ids?: number[];
  skill_ids?: number[];
  attachment_ids?: number[];
}

/** An edge of llmctl's graph API. */
export interface LegacyEdge {
  id: number;
  source_node_id: number;
  target_node_id: number;
  source_handle_id?: string | null;
  target_handle_id?: string | null;
  edge_mode?: string | null;
  condition_key?: string | null;
  label?: string | null;
}

/** One legacy flowchart: `{ flowchart, nodes, edges }`. */
export interface LegacyGraph {
  flowchart: {
    id: number;
    name?: string | null;
    description?: string | null;
    max_node_executions?: number | null;
    max_runtime_minutes?: number | null;
    max_parallel_nodes?: number | null;
  };
  nodes: LegacyNode[];
  edges: LegacyEdge[];
}

/** Where a legacy flowchart came from. */
export type SourceKind = 'graph_json' | 'migration_snapshot' | 'llmctl_api' | 'llmctl_database';

/** Options of an import. */
export interface ImportOptions {
  /** `{ "<legacy model id>": "<our model name>" }`; `"default"` maps nodes without a model. */
  model_map?: Record<string, string>;
  /** false: policy issues become warnings (never validation or simulation errors). Default true. */
  strict?: boolean;
  /** Our model registry, for save-time validation (`model_unknown`); skipped when absent. */
  modelExists?: (name: string) => boolean;
}

/** One issue of a report. */
export interface MigrationIssue {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  legacy_node_id?: number;
  legacy_edge_id?: number;
  node_id?: string;
  edge_id?: string;
}

/** One routing-simulation case. */
export interface SimulationCase {
  description: string;
  input: unknown;
  legacy_targets: string[];
  new_targets: string[];
  equal: boolean;
}

/** The per-flowchart report (migration.md "The report"). */
export interface MigrationReport {
  contract_version: 'v1';
  source: { kind: SourceKind; legacy_id: number; name: string };
  generated_at: string;
  changed: boolean;
  before_hash: string;
  after_hash: string;
  compatibility_gate: {
    status: 'ready' | 'blocked';
    blocking_issue_codes: string[];
    warning_issue_codes: string[];
    error_count: number;
    warning_count: number;
  };
  issues: MigrationIssue[];
  routing_simulation: { decision_node_id: string; cases: SimulationCase[] }[];
  rollback: { required: boolean; trigger_codes: string[]; pre_migration_hash: string | null };
  document: FlowchartDocument;
  apply: { applied: boolean; flowchart_id: string | null; version: number | null; applied_at: string | null } | null;
}

/** The batch answer (migration.md). */
export interface MigrationBatch {
  contract_version: 'v1';
  generated_at: string;
  apply_requested: boolean;
  strict: boolean;
  flowchart_count: number;
  ready_count: number;
  blocked_count: number;
  applied_count: number;
  reports: MigrationReport[];
}
