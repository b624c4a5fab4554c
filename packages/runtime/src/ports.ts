import type { EngineEvent, NodeRunState, RunFoldView } from '@llmctl/engine';
import type { ErrorInfo, FlowchartDocument, RunStatus } from '@llmctl/contracts';
import type { RunSnapshot } from './fold-log.ts';

/** One row of a run's event log. */
export interface StoredEvent {
  run_id: string;
  sequence: number;
  event_id: string;
  event_type: string;
  payload: EngineEvent;
  request_id: string | null;
  correlation_id: string | null;
  created_at: string;
}

/** The runs row fields the runtime reads. */
export interface RunRecord {
  id: string;
  flowchart_id: string;
  flowchart_version: number;
  status: RunStatus;
  input: unknown;
  parent_run_id: string | null;
  parent_node_run_id: string | null;
  continued_from: string | null;
  continued_to: string | null;
  /** Position in the continue-as-new chain: 0 for a first run, +1 per continue-as-new. */
  continuation: number;
  lease_owner: string | null;
  lease_epoch: number;
  lease_expires_at: string | null;
  last_sequence: number;
  request_id: string | null;
  correlation_id: string | null;
}

export interface NewRun {
  id: string;
  flowchart_id: string;
  flowchart_version: number;
  input: unknown;
  parent_run_id?: string | null;
  parent_node_run_id?: string | null;
  continued_from?: string | null;
  /** Position in the continue-as-new chain (default 0). */
  continuation?: number;
  request_id?: string | null;
  correlation_id?: string | null;
}

/** A run created with its lease: `flowchart_version` null = the flowchart's latest version, read in the same statement. */
export type NewLeasedRun = Omit<NewRun, 'flowchart_version'> & { flowchart_version: number | null };

/** The run-row projection written with every commit. */
export interface RunProjection extends RunFoldView {
  continued_to?: string | null;
}

/** One atomic change of a run: log append + projections, fenced by the expected sequence and lease epoch. */
export interface Commit {
  run_id: string;
  expected_sequence: number;
  /**
   * The writer's lease (null: unfenced). `ttl_ms`: the lease time-to-live, for adapters that release the lease with a
   * commit leaving the run terminal ({@link RunLog.releasesLeaseOnTerminalCommit}) and take it again with a later one.
   */
  lease: { owner: string; epoch: number; ttl_ms?: number } | null;
  events: { sequence: number; event_id: string; event_type: string; payload: EngineEvent; request_id: string | null; correlation_id: string | null }[];
  node_runs: NodeRunState[];
  /**
   * The run's node runs after this commit (the state's `node_runs`, read while the commit is encoded): lets an adapter
   * store a token's output as a reference to its source node run (output-refs.ts) instead of a copy. Optional.
   */
  sources?: Readonly<Record<string, NodeRunState>>;
  /**
   * Which large fields changed (an adapter may skip rewriting the others): node runs whose input snapshot or whose
   * output/routing changed, and whether the run input changed. Absent: everything changed.
   */
  writes?: { snapshot: string[]; output: string[]; run_input: boolean };
  run: RunProjection;
  /** Runs created in the same transaction (continue-as-new). */
  new_runs?: NewRun[];
  /**
   * The folded state after this commit's last event, when a snapshot is due (see `fold-log.ts`): stored in the same
   * transaction, as JSON text. Older snapshots of the run may be dropped by the adapter (it keeps at least the newest).
   */
  snapshot?: { sequence: number; format: number; state_json: string };
  /**
   * Model-call records stored in the same transaction (the calls of an attempt whose outcome this commit records; see
   * {@link RunLog.recordModelCalls}). A fenced commit stores none of them.
   */
  model_calls?: ModelCallRecord[];
  /**
   * The commit creates its run (adapters with {@link RunLog.createsRunInCommit}): the run row is inserted by the same
   * statement, with the commit's lease (`lease`, epoch 1) and `last_sequence` at the commit's last event. When the
   * run's id exists, or `if_latest` is set and `run.flowchart_version` is no longer the flowchart's latest, nothing is
   * written and the commit throws {@link FencedError}; a flowchart that does not exist is `not_found`.
   */
  create?: RunCreation;
}

/** A run created by its first commit (see {@link Commit.create}). */
export interface RunCreation {
  run: NewRun;
  /** Lease time-to-live from the commit (the owner and epoch are the commit's `lease`). */
  ttl_ms: number;
  /** Create only while `run.flowchart_version` is still the flowchart's latest version. */
  if_latest: boolean;
}

/** Thrown by `commit` when the run moved on (sequence) or the lease was taken over (epoch). */
export class FencedError extends Error {
  constructor(runId: string) {
    super(`commit to run ${runId} was fenced: another writer appended to its log or took its lease`);
    this.name = 'FencedError';
  }
}

/** Where the runtime reads flowchart documents (compiled per version). */
export interface FlowchartSource {
  getFlowchartVersion(flowchartId: string, version?: number): Promise<{ version: number; document: FlowchartDocument } | null>;
  /** The latest version number of a flowchart (null when unknown). */
  latestVersion(flowchartId: string): Promise<number | null>;
}

/** The run log: runs are created, their events appended by fenced commits, read back (and snapshots of them). */
export interface RunLog {
  createRun(run: NewRun): Promise<void>;
  /**
   * Optional fast path: creates the run with `owner`'s lease already taken (epoch 1) in one statement and returns its
   * row, so a run this process starts needs no separate lease, run read or log fold.
   */
  createLeasedRun?(run: NewLeasedRun, owner: string, ttlMs: number): Promise<RunRecord>;
  /** True when `commit` honours {@link Commit.create}: a run is created by its first commit (one statement less). */
  readonly createsRunInCommit?: boolean;
  /**
   * True when a commit that leaves the run terminal also releases its lease (no separate `releaseLease`). The holder
   * may still commit at the same epoch afterwards (a command queued behind the terminal commit): that commit takes
   * the lease again (expiry `now() + lease.ttl_ms`). Any other owner's acquisition bumps the epoch and fences it.
   */
  readonly releasesLeaseOnTerminalCommit?: boolean;
  getRun(runId: string): Promise<RunRecord | null>;
  /** Appends atomically; throws {@link FencedError} when the sequence moved on or the lease epoch is stale. */
  commit(c: Commit): Promise<void>;
  loadEvents(runId: string, afterSequence: number, limit?: number): Promise<StoredEvent[]>;
  /** The newest snapshot of a run's folded state at or before `atOrBefore` (adapters without snapshots omit this). */
  loadSnapshot?(runId: string, atOrBefore: number): Promise<RunSnapshot | null>;
  /**
   * Stores model-call records outside a commit (calls whose attempt outcome was not committed). An adapter that has it
   * also stores {@link Commit.model_calls} with the commit, and the runtime then lets task nodes hand the records of a
   * finished attempt to the node's own commit instead of one insert per call.
   */
  recordModelCalls?(calls: ModelCallRecord[]): Promise<void>;
}

/** Run leases: who executes a run, for how long, and which runs need a new owner. */
export interface RunLeases {
  /** Takes the lease when free, expired, held by `owner`, or held by an owner `isDead` says is gone. Returns the new epoch. */
  acquireLease(runId: string, owner: string, ttlMs: number, isDead: (owner: string) => boolean): Promise<number | null>;
  /** Extends the leases `owner` still holds; returns the run ids it still holds. */
  renewLeases(owner: string, runIds: string[], ttlMs: number): Promise<string[]>;
  releaseLease(runId: string, owner: string): Promise<void>;
  /** Active runs whose lease is free, expired or held by a dead owner. */
  findRunsToRecover(owner: string, isDead: (owner: string) => boolean): Promise<string[]>;
}

/** Read-only questions about other runs (sub-flowchart waits, continue-as-new chains, the cancel cascade). */
export interface RunQueries {
  /** Status, output and error of a run (sub-flowchart nodes wait on their child's outcome). */
  getRunResult(runId: string): Promise<{ status: RunStatus; output: unknown; error: ErrorInfo | null } | null>;
  /** The newest run of the continue-as-new chain `runId` belongs to (following `continued_to`). */
  chainTail?(runId: string): Promise<string | null>;
  /** Active child runs of a run (cancel cascades to them). */
  listActiveChildRuns(parentRunId: string): Promise<string[]>;
}

/**
 * Everything the orchestrator needs: the narrow ports together, as one adapter implements them (PostgreSQL in
 * @llmctl/store, in-memory in this package). Consumers take only the port they use.
 */
export type RunStore = FlowchartSource & RunLog & RunLeases & RunQueries;

/** Model calls recorded per node run (scripted fail_times counting, traces, usage). */
export interface ModelCallRecord {
  id: string;
  run_id: string;
  node_run_id: string;
  node_id: string;
  model_name: string;
  provider: string;
  attempt: number;
  kind: 'chat' | 'repair' | 'agent_step';
  response_index: number | null;
  /** `replayed`: a tool-loop step answered from the journal of an earlier attempt (no model call was made). */
  status: 'succeeded' | 'failed' | 'replayed';
  error: ErrorInfo | null;
  usage: Record<string, unknown> | null;
  started_at: string;
  finished_at: string;
  /** Journal key of a tool-loop step: `<node run key>:model:<step>` (null for repairs). */
  idempotency_key?: string | null;
  /** Tool-loop step (0 = the first call of the attempt); null for repairs. */
  step?: number | null;
  /** Repair attempt number (1…max_repair_attempts) of a `repair` call. */
  repair_attempt?: number | null;
  /** What was sent: the message list (texts bounded), request settings, tool names, a digest of the full request. */
  request?: ModelCallRequestJournal | null;
  /** What came back: the raw text (bounded), the tool calls requested, finish reason. */
  response?: ModelCallResponseJournal | null;
  /** The parsed structured answer (`{ value }`) or the problems found (`{ problems }`); null without an output schema. */
  parsed_output?: unknown;
  latency_ms?: number | null;
  /** Cost as the provider reported it (null when it does not). */
  cost?: number | null;
  /** The journaled call a `replayed` row reuses. */
  replayed_from?: string | null;
}

/** A journaled message: `content` may be truncated (then `content_length` is the full length). */
export interface JournalMessage {
  role: string;
  content: string;
  content_length?: number;
  tool_call_id?: string;
  tool_calls?: { id: string; name: string; arguments: Record<string, unknown> }[];
}

/** The request half of a model-call journal entry (never credentials: only non-secret settings, redacted). */
export interface ModelCallRequestJournal {
  messages: JournalMessage[];
  /** Messages left out of a very long conversation (the first and the newest are kept). */
  omitted_messages?: number;
  settings: Record<string, unknown>;
  tools: string[];
  /** sha256 of the full request (messages, tools, schema): a step is replayed only for the same request. */
  digest: string;
}

/** The response half of a model-call journal entry. */
export interface ModelCallResponseJournal {
  text: string;
  text_length: number;
  tool_calls: { id: string; name: string; arguments: Record<string, unknown> }[];
  finish_reason: string;
  raw_model?: string;
}

export interface ModelCallLog {
  record(call: ModelCallRecord): Promise<void>;
  /** Told of a record that is not passed to `record` because it is stored with the node's commit (metrics). */
  observe?(call: ModelCallRecord): void;
  /** Calls recorded for (model, run, node id, scripted response index). */
  countScripted(modelName: string, runId: string, nodeId: string, responseIndex: number): Promise<number>;
  /**
   * The journaled tool-loop steps of a node run key (rows whose `idempotency_key` starts with `<key>:model:`,
   * status `succeeded`), oldest first. Adapters without a journal omit it (agent loops then never replay).
   */
  journal?(runId: string, nodeId: string, nodeRunKey: string): Promise<ModelCallRecord[]>;
}
