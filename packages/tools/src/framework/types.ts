/** Shapes of the tool framework: tool definitions, the invocation context and the tool result. */
import type { ErrorInfo, Warning } from '@llmctl/contracts';
import type { JsonSchema } from './json-schema.ts';
import type { ArtifactSink, AuditSink, ToolLedger } from './ports.ts';

/** What a tool touches: nothing (`read`), the run's own state or workspace (`write`), or the outside world. */
export type ToolSideEffect = 'read' | 'write' | 'external';

/** Retry policy of a tool: attempts in all (≥ 1) and the base backoff, doubled after each failed attempt. */
export interface ToolRetryPolicy {
  max_attempts: number;
  backoff_ms: number;
}

/**
 * An artifact a tool produced (the contracts `tool-result` artifact item): inline `content` or an external `uri`,
 * exactly one.
 */
export interface ArtifactDraft {
  kind: string;
  name: string;
  media_type?: string;
  content?: unknown;
  uri?: string;
}

/** The context a tool's `run` receives for one attempt. */
export interface ToolRunContext {
  /** The tool call's key; pass it to external systems so they can deduplicate. */
  idempotency_key: string;
  correlation_id: string | null;
  request_id: string | null;
  run_id: string;
  node_run_id: string;
  flowchart_id: string | null;
  workspace_dir: string;
  /** Aborted on timeout or cancellation; tools must stop their work (kill processes, abort requests). */
  signal: AbortSignal;
  /** 1-based attempt number. */
  attempt: number;
  /** Adds an artifact; persisted only when this attempt succeeds. */
  emitArtifact(draft: ArtifactDraft): void;
  /** Adds a warning to the result (warnings do not change the status). */
  warn(warning: Warning): void;
}

/** A tool as written by its author. */
export interface ToolDefinition<I = unknown, O = unknown> {
  /** `^[a-z][a-z0-9_]{0,63}$`. */
  name: string;
  description: string;
  input_schema: JsonSchema;
  output_schema: JsonSchema;
  side_effect: ToolSideEffect;
  retry: ToolRetryPolicy;
  /** Per-attempt timeout. */
  timeout_ms: number;
  run(input: I, ctx: ToolRunContext): Promise<O>;
}

/** A tool result (the contracts `tool-result` schema). `output` is null when the call failed. */
export interface ToolResult<O = unknown> {
  status: 'success' | 'success_with_warning' | 'failed';
  output: O | null;
  fallback_used: boolean;
  warnings: Warning[];
  error?: ErrorInfo;
  idempotency_key: string;
  artifacts: ArtifactDraft[];
}

/** One trace span per invocation, handed to `ctx.tracer`. */
export interface ToolSpan {
  name: string;
  kind: 'tool';
  tool: string;
  idempotency_key: string;
  correlation_id: string | null;
  request_id: string | null;
  run_id: string;
  node_run_id: string;
  /** ISO 8601. */
  started_at: string;
  /** ISO 8601. */
  ended_at: string;
  duration_ms: number;
  status: 'success' | 'failed' | 'replayed';
  attempts: number;
  error?: ErrorInfo;
}

/** Everything `invokeTool` needs besides the tool name and input. */
export interface ToolInvocationContext {
  /** `<node run key>:tool:<call index>`. */
  idempotency_key: string;
  correlation_id: string | null;
  request_id: string | null;
  run_id: string;
  node_run_id: string;
  /** Needed by flowchart-scoped memory; null outside a flowchart. */
  flowchart_id?: string | null;
  /** Absolute path of the run workspace. */
  workspace_dir: string;
  /** Cancels the invocation (the run was canceled or the node run interrupted). */
  signal?: AbortSignal;
  ledger: ToolLedger;
  artifacts: ArtifactSink;
  audit: AuditSink;
  tracer?: (span: ToolSpan) => void;
}
