import type { Commit, ModelCallRecord } from '@llmctl/runtime';
import { snapshotRefs } from '@llmctl/runtime';
import { compactEventPayload, compactInputSnapshot } from './stored-outputs.ts';
import { isRunEndStatus } from '@llmctl/contracts';
import { FULL_SHAPE, MODEL_CALL_COLUMNS, MODEL_CALL_NAMES, buildCommitSql, commitParamKinds, commitStatement, type CommitShape } from './commit-sql.ts';

/**
 * One run's commit as JSON texts, ready to be spliced into the recordsets of {@link COMMIT_SQL}. Encoded when the
 * commit is submitted (synchronously), so a batch only concatenates.
 */
export interface EncodedCommit {
  runId: string;
  /** The commit creates its run (`Commit.create`): the INSERT arm, not the fenced UPDATE. */
  create: boolean;
  /** The commit writes a snapshot. */
  snapshot: boolean;
  run: string;
  events: string[];
  nodeRuns: string[];
  newRuns: string[];
  modelCalls: string[];
}

/** A model-call record as one element of the model-call recordset ({@link MODEL_CALL_COLUMNS}). */
export function encodeModelCall(c: ModelCallRecord): string {
  // every column listed (not `{ ...c, … }`: V8 builds a spread followed by nine fields many times slower)
  return JSON.stringify({
    id: c.id, run_id: c.run_id, node_run_id: c.node_run_id, node_id: c.node_id, model_name: c.model_name, provider: c.provider, attempt: c.attempt,
    kind: c.kind, response_index: c.response_index, status: c.status, error: c.error, usage: c.usage, started_at: c.started_at, finished_at: c.finished_at,
    idempotency_key: c.idempotency_key ?? null, step: c.step ?? null, repair_attempt: c.repair_attempt ?? null, request: c.request ?? null,
    response: c.response ?? null, parsed_output: c.parsed_output ?? null, latency_ms: c.latency_ms ?? null, cost: c.cost ?? null, replayed_from: c.replayed_from ?? null,
  });
}

/** Inserts the model-call records of recordset `$1` (outside a commit). */
export const MODEL_CALLS_SQL = `INSERT INTO model_calls (${MODEL_CALL_NAMES})
  SELECT ${MODEL_CALL_NAMES} FROM jsonb_to_recordset($1::jsonb) AS m(${MODEL_CALL_COLUMNS})`;

/** Sequence of the event of `c` that logged each node run's output (`node.succeeded` / `node.skipped`), with it. */
function outputEvents(c: Commit): Map<string, { sequence: number; output: unknown; routing: unknown }> {
  const m = new Map<string, { sequence: number; output: unknown; routing: unknown }>();
  for (const e of c.events) {
    const p = e.payload;
    if (p.kind === 'node.succeeded' || p.kind === 'node.skipped') m.set(p.node_run_id, { sequence: e.sequence, output: p.output, routing: p.routing });
  }
  return m;
}

/** The run-row fields of a run created by its first commit (the INSERT arm of commit-sql.ts). */
function creationFields(c: Commit): Record<string, unknown> {
  const { run, ttl_ms, if_latest } = c.create!;
  return {
    c: true, flowchart_id: run.flowchart_id, flowchart_version: run.flowchart_version, parent_run_id: run.parent_run_id ?? null,
    parent_node_run_id: run.parent_node_run_id ?? null, continued_from: run.continued_from ?? null, request_id: run.request_id ?? null,
    correlation_id: run.correlation_id ?? null, continuation: run.continuation ?? 0, ttl_ms, if_latest,
  };
}

/**
 * Encodes a commit. Large node-run fields (input snapshot, output, routing) and the run input are sent only when the
 * commit changed them; `ws`/`wo` say which were sent and are read by the UPDATE of existing rows directly (no sentinel
 * value stands for "unchanged", so any real value round-trips).
 *
 * Each output is written once (stored-outputs.ts): a node run whose output and routing are those of a
 * `node.succeeded` / `node.skipped` event of this commit stores neither, only that event's sequence (`oseq`); tokens
 * (in event payloads and input snapshots) that carry their source node run's output store a reference to it.
 */
export function encodeCommit(c: Commit, releaseOnTerminal = true): EncodedCommit {
  const snap = c.writes ? new Set(c.writes.snapshot) : null;
  const out = c.writes ? new Set(c.writes.output) : null;
  const logged = outputEvents(c);
  const run = c.run;
  const head = JSON.stringify({
    id: c.run_id, expected: c.expected_sequence, owner: c.lease?.owner ?? null, epoch: c.lease?.epoch ?? 0, n: c.events.length,
    status: run.status, write_input: !c.writes || c.writes.run_input, input: run.input ?? null, output: run.output ?? null, error: run.error,
    warnings: run.warnings, leftover_tokens: run.leftover_tokens, started_at: run.started_at, finished_at: run.finished_at,
    running_ms: run.running_ms, running_since: run.running_since, continued_to: run.continued_to ?? null,
    notify: JSON.stringify({ run_id: c.run_id, last_sequence: c.expected_sequence + c.events.length }),
    snap_seq: c.snapshot?.sequence ?? null, snap_format: c.snapshot?.format ?? null,
    snap_refs: c.snapshot ? `{${snapshotRefs(c.snapshot.state_json).join(',')}}` : null,
    // a commit leaving the run terminal releases its lease (PgRunStore.releasesLeaseOnTerminalCommit)
    release: releaseOnTerminal && c.lease !== null && isRunEndStatus(run.status), ttl_ms: c.lease?.ttl_ms ?? null,
    ...(c.create ? creationFields(c) : {}),
  });
  // The snapshot state is already JSON text: spliced in, not parsed and serialised again.
  const runText = c.snapshot ? `${head.slice(0, -1)},"snap_state":${c.snapshot.state_json}}` : head;
  return {
    runId: c.run_id,
    create: c.create !== undefined,
    snapshot: c.snapshot !== undefined,
    run: runText,
    // fields listed, not `{ ...e, … }` (V8's spread-then-add is several times slower; once per event)
    events: c.events.map((e) => JSON.stringify({
      sequence: e.sequence, event_id: e.event_id, event_type: e.event_type, payload: compactEventPayload(e.payload, c), request_id: e.request_id,
      correlation_id: e.correlation_id, run_id: c.run_id,
    })),
    nodeRuns: c.node_runs.map((n) => {
      const ws = !snap || snap.has(n.id);
      const wo = !out || out.has(n.id);
      const ev = wo ? logged.get(n.id) : undefined;
      const byEvent = ev !== undefined && ev.output === n.output && ev.routing === n.routing;
      return JSON.stringify({
        id: n.id, run_id: c.run_id, node_id: n.node_id, node_type: n.node_type, iteration: n.iteration, status: n.status, outcome: n.outcome,
        fallback_used: n.fallback_used, degraded_reason: n.degraded_reason, warnings: n.warnings, error: n.error,
        input_snapshot: ws ? compactInputSnapshot(n, c) : null,
        output: wo && !byEvent ? n.output ?? null : null, routing: wo && !byEvent ? n.routing : null, oseq: byEvent ? ev.sequence : null, ws, wo,
        attempts: n.attempts, idempotency_key: n.idempotency_key, retry_of: n.retry_of, rewound_from: n.rewound_from,
        queued_sequence: n.queued_seq, checkpoint_sequence: n.started_seq, created_order: n.created_order, usage: n.usage,
        started_at: n.started_at, finished_at: n.finished_at,
      });
    }),
    newRuns: (c.new_runs ?? []).map((n) => JSON.stringify({ ...n, input: n.input ?? null, by_run: c.run_id })),
    modelCalls: (c.model_calls ?? []).map(encodeModelCall),
  };
}

/** The five parameters of {@link COMMIT_SQL} for a batch of commits (at most one per run). */
export function commitParams(batch: readonly EncodedCommit[]): string[] {
  const list = (parts: string[]): string => `[${parts.join(',')}]`;
  return [
    list(batch.map((b) => b.run)), list(batch.flatMap((b) => b.events)), list(batch.flatMap((b) => b.nodeRuns)), list(batch.flatMap((b) => b.newRuns)),
    list(batch.flatMap((b) => b.modelCalls)),
  ];
}

/**
 * The commit of one or many runs as ONE SQL statement (data-modifying CTEs, one implicit transaction, one WAL flush).
 * Each run is fenced on its own: its row is updated only at the expected sequence (and lease epoch), and its events,
 * node runs, new runs, snapshot and notification are joined to the runs actually updated (`r`), so a fenced run writes
 * nothing while the others commit. Returns the ids of the runs that committed.
 *
 * The model-call records of the commit ride in it too (one INSERT less per task node).
 *
 * JSON null becomes SQL NULL in a recordset: the run's input, output and error are stored as JSON `null` (as the single
 * commit always did) through COALESCE.
 *
 * This is the statement with every arm, for existing runs (parameters: {@link commitParams}); the group committer
 * sends the variant of each batch's shape ({@link commitQuery}, commit-sql.ts).
 */
export const COMMIT_SQL = buildCommitSql(FULL_SHAPE);

/** The shape of a batch: which arms its statement needs. */
export function shapeOf(batch: readonly EncodedCommit[]): CommitShape {
  const updates = batch.filter((b) => !b.create).length;
  return {
    create: updates < batch.length, update: updates > 0, lock: updates > 1, snapshot: batch.some((b) => b.snapshot),
    newRuns: batch.some((b) => b.newRuns.length > 0), modelCalls: batch.some((b) => b.modelCalls.length > 0),
  };
}

/** The prepared statement and parameters of a batch (at most one commit per run), its arms chosen by its shape. */
export function commitQuery(batch: readonly EncodedCommit[]): { name: string; text: string; values: string[] } {
  const shape = shapeOf(batch);
  const list = (parts: string[]): string => `[${parts.join(',')}]`;
  const values = commitParamKinds(shape).map((k) => (k === 'runs' ? list(batch.map((b) => b.run)) : list(batch.flatMap((b) => b[k]))));
  return { ...commitStatement(shape), values };
}
