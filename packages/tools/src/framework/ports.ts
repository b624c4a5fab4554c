/**
 * Persistence ports of the tool framework. Each has an in-memory adapter (`in-memory-ports.ts`) and a contract test
 * suite (`@llmctl/tools/testing`) that every adapter (e.g. the PostgreSQL ones) must pass.
 */
import type { ErrorInfo } from '@llmctl/contracts';
import type { ArtifactDraft, ToolResult } from './types.ts';

/** Status of a tool-call ledger entry. */
export type ToolCallStatus = 'started' | 'succeeded' | 'failed';

/** One tool call in the ledger (table `tool_calls`), keyed by its idempotency key. */
export interface ToolCallRecord {
  idempotency_key: string;
  run_id: string;
  node_run_id: string;
  tool: string;
  /** The validated input of the latest invocation under this key. */
  input: unknown;
  /** The recorded result; null while `started`. */
  result: ToolResult | null;
  status: ToolCallStatus;
  /** Attempts the latest finished invocation used (0 while started). */
  attempts: number;
  correlation_id: string | null;
  request_id: string | null;
  /** ISO 8601. */
  started_at: string;
  /** ISO 8601, null while started. */
  finished_at: string | null;
}

/** What `ToolLedger.start` needs to open (or reopen) an entry. */
export interface ToolCallStart {
  idempotency_key: string;
  run_id: string;
  node_run_id: string;
  tool: string;
  input: unknown;
  correlation_id: string | null;
  request_id: string | null;
}

/** What `ToolLedger.finish` records. */
export interface ToolCallFinish {
  status: 'succeeded' | 'failed';
  result: ToolResult;
  attempts: number;
}

/**
 * The tool-call ledger: a key whose call `succeeded` is never executed again; its recorded result is returned.
 * A `failed` or interrupted (`started`) call runs again under the same key.
 */
export interface ToolLedger {
  /** The entry for `idempotency_key`, or null. */
  get(idempotency_key: string): Promise<ToolCallRecord | null>;
  /**
   * Atomically opens the entry. When a `succeeded` entry exists it is returned unchanged (the caller replays it).
   * Otherwise the entry is inserted, or reset (status `started`, new input/node_run_id/ids/started_at, result null,
   * attempts 0, finished_at null), and returned.
   * PostgreSQL: `INSERT … ON CONFLICT (idempotency_key) DO UPDATE … WHERE tool_calls.status <> 'succeeded'
   * RETURNING *`, falling back to a `SELECT` when the guarded update touched no row.
   */
  start(entry: ToolCallStart): Promise<ToolCallRecord>;
  /** Records the outcome; returns the finished entry. Rejects when no entry exists for the key. */
  finish(idempotency_key: string, outcome: ToolCallFinish): Promise<ToolCallRecord>;
}

/** An artifact handed to the sink: a tool's draft plus where it came from and a deterministic id. */
export interface ArtifactInput extends ArtifactDraft {
  /** Deterministic: `<tool idempotency key>:artifact:<index>`; persisting the same id again is a no-op. */
  id: string;
  run_id: string;
  node_run_id: string | null;
  /** The tool call that produced it. */
  idempotency_key: string;
  media_type: string;
}

/** A persisted artifact (the contracts `artifact` schema): versioned per (run_id, kind, name). */
export interface PersistedArtifact {
  id: string;
  run_id: string;
  node_run_id: string | null;
  kind: string;
  name: string;
  version: number;
  media_type: string;
  content?: unknown;
  uri?: string;
  /** ISO 8601. */
  created_at: string;
}

/**
 * Where tool artifacts are persisted. The runtime's adapter turns each newly persisted artifact into a
 * `flowchart:node_artifact:persisted` event in the same transaction.
 */
export interface ArtifactSink {
  /**
   * Persists the artifact, idempotent on `id`: the first call stores it with `version` = 1 + the number of artifacts
   * already stored with the same (run_id, kind, name); a repeated id returns the stored artifact unchanged.
   */
  persist(artifact: ArtifactInput): Promise<PersistedArtifact>;
  /** Artifacts of a run (optionally one node run), oldest first. */
  list(filter: { run_id: string; node_run_id?: string }): Promise<PersistedArtifact[]>;
}

/** Audit status: the call ran and succeeded, failed (also before running), or a recorded result was replayed. */
export type ToolAuditStatus = 'success' | 'failed' | 'replayed';

/** One audit record per tool invocation (table `tool_audit`). */
export interface ToolAuditRecord {
  tool: string;
  idempotency_key: string;
  correlation_id: string | null;
  request_id: string | null;
  run_id: string;
  node_run_id: string;
  status: ToolAuditStatus;
  /** Attempts run by this invocation (0 when nothing ran). */
  attempts: number;
  duration_ms: number;
  error?: ErrorInfo;
  /** ISO 8601. */
  created_at: string;
}

/** The append-only tool audit log. */
export interface AuditSink {
  /** Appends one record. */
  write(record: ToolAuditRecord): Promise<void>;
  /** Records for one idempotency key, oldest first. */
  list(filter: { idempotency_key: string }): Promise<ToolAuditRecord[]>;
}
