/**
 * The runtime's port to tools: the runtime owns these types and the tool framework (@llmctl/tools,
 * `createToolPort`) implements them; the host wires the adapter. The runtime never imports the framework.
 */
import type { ErrorInfo, Warning } from '@llmctl/contracts';

/** One tool call as the runtime asks for it (the key is the runtime's: `<node run key>:tool:<index>`). */
export interface ToolCall {
  name: string;
  input: unknown;
  idempotency_key: string;
  run_id: string;
  node_run_id: string;
  node_id: string;
  flowchart_id: string;
  correlation_id: string | null;
  request_id: string | null;
  signal: AbortSignal;
  /** The tools the calling node offers: a name outside it is unknown to the call (failed, audited), even when registered. */
  offered?: readonly string[];
}

/** What a tool call returns (a tool-level failure is `failed`, never a throw). */
export interface ToolCallResult {
  status: 'success' | 'success_with_warning' | 'failed';
  output: unknown;
  fallback_used: boolean;
  warnings: Warning[];
  error?: ErrorInfo;
  idempotency_key: string;
  /** The recorded call this replay answers from had another input (a changed call must not reuse the old result). */
  replay_input_changed?: boolean;
}

/** A model-facing tool description. */
export interface ToolSpec {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
}

/** An artifact a tool call persisted (what `flowchart:node_artifact:persisted` carries). */
export interface PersistedArtifactRecord {
  id: string;
  run_id: string;
  node_run_id: string | null;
  kind: string;
  name: string;
  version: number;
  media_type: string;
  content?: unknown;
  uri?: string;
  created_at: string;
}

/** The port an adapter implements. */
export interface ToolPort {
  /** Runs (or replays from the ledger) one call. Rejects only when a port of the framework (ledger, sinks) fails. */
  invoke(call: ToolCall): Promise<ToolCallResult>;
  /** Model-facing specs of the named tools (unknown names are skipped). */
  specs(names: readonly string[]): ToolSpec[];
}

/** Called by an adapter for every artifact a call persisted (see `artifactEventPublisher`). */
export type ArtifactPersistedHook = (artifact: PersistedArtifactRecord, call: ToolCall) => void;
