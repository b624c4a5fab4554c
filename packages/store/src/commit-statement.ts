import type { Commit, ModelCallRecord } from '@llmctl/runtime';
import { snapshotRefs } from '@llmctl/runtime';
import { compactEventPayload, compactInputSnapshot } from './stored-outputs.ts';

/** Snapshots kept per run: the newest few (rewinds further back fold from an older one or from the start). */
export const SNAPSHOTS_KEPT = 4;

/**
 * One run's commit as JSON texts, ready to be spliced into the recordsets of {@link COMMIT_SQL}. Encoded when the
 * commit is submitted (synchronously), so a batch only concatenates.
 */
export interface EncodedCommit {
  runId: string;
  run: string;
  events: string[];
  nodeRuns: string[];
  newRuns: string[];
  modelCalls: string[];
}

/** A model-call record as one element of the model-call recordset ({@link MODEL_CALL_COLUMNS}). */
export function encodeModelCall(c: ModelCallRecord): string {
  return JSON.stringify({
    ...c, idempotency_key: c.idempotency_key ?? null, step: c.step ?? null, repair_attempt: c.repair_attempt ?? null, request: c.request ?? null,
    response: c.response ?? null, parsed_output: c.parsed_output ?? null, latency_ms: c.latency_ms ?? null, cost: c.cost ?? null, replayed_from: c.replayed_from ?? null,
  });
}

/** Columns of `model_calls` and their types in a recordset. */
export const MODEL_CALL_COLUMNS = `id text, run_id text, node_run_id text, node_id text, model_name text, provider text, attempt int,
  kind text, response_index int, status text, error jsonb, usage jsonb, started_at timestamptz, finished_at timestamptz,
  idempotency_key text, step int, repair_attempt int, request jsonb, response jsonb, parsed_output jsonb, latency_ms int,
  cost double precision, replayed_from text`;

const MODEL_CALL_NAMES = MODEL_CALL_COLUMNS.split(',').map((c) => c.trim().split(/\s+/)[0]!).join(', ');

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

/**
 * Encodes a commit. Large node-run fields (input snapshot, output, routing) and the run input are sent only when the
 * commit changed them; `ws`/`wo` say which were sent and are read by the UPDATE of existing rows directly (no sentinel
 * value stands for "unchanged", so any real value round-trips).
 *
 * Each output is written once (stored-outputs.ts): a node run whose output and routing are those of a
 * `node.succeeded` / `node.skipped` event of this commit stores neither, only that event's sequence (`oseq`); tokens
 * (in event payloads and input snapshots) that carry their source node run's output store a reference to it.
 */
export function encodeCommit(c: Commit): EncodedCommit {
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
  });
  // The snapshot state is already JSON text: spliced in, not parsed and serialised again.
  const runText = c.snapshot ? `${head.slice(0, -1)},"snap_state":${c.snapshot.state_json}}` : head;
  return {
    runId: c.run_id,
    run: runText,
    events: c.events.map((e) => JSON.stringify({ ...e, payload: compactEventPayload(e.payload, c.sources), run_id: c.run_id })),
    nodeRuns: c.node_runs.map((n) => {
      const ws = !snap || snap.has(n.id);
      const wo = !out || out.has(n.id);
      const ev = wo ? logged.get(n.id) : undefined;
      const byEvent = ev !== undefined && ev.output === n.output && ev.routing === n.routing;
      return JSON.stringify({
        id: n.id, run_id: c.run_id, node_id: n.node_id, node_type: n.node_type, iteration: n.iteration, status: n.status, outcome: n.outcome,
        fallback_used: n.fallback_used, degraded_reason: n.degraded_reason, warnings: n.warnings, error: n.error,
        input_snapshot: ws ? compactInputSnapshot(n, c.sources) : null,
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
 */
export const COMMIT_SQL = `
  WITH x AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id text, expected bigint, owner text, epoch bigint, n int, status text,
      write_input boolean, input jsonb, output jsonb, error jsonb, warnings jsonb, leftover_tokens jsonb, started_at timestamptz,
      finished_at timestamptz, running_ms bigint, running_since timestamptz, continued_to text, notify text, snap_seq bigint,
      snap_format int, snap_refs bigint[], snap_state json)
  ), lk AS MATERIALIZED (
    -- the batch's run rows are locked first, in id order, whatever join the UPDATE gets (a hash join scans runs in
    -- physical order); renewLeases locks in the same order, so the two never deadlock
    SELECT runs.id FROM runs WHERE runs.id IN (SELECT x.id FROM x) ORDER BY runs.id FOR UPDATE
  ), r AS (
    UPDATE runs SET last_sequence = x.expected + x.n, status = x.status,
      input = CASE WHEN x.write_input THEN COALESCE(x.input, 'null') ELSE runs.input END, output = COALESCE(x.output, 'null'),
      error = COALESCE(x.error, 'null'), warnings = x.warnings, leftover_tokens = x.leftover_tokens, started_at = x.started_at,
      finished_at = x.finished_at, running_ms = x.running_ms, running_since = x.running_since,
      continued_to = COALESCE(x.continued_to, runs.continued_to), updated_at = now()
    FROM x
    WHERE runs.id = x.id AND runs.id IN (SELECT lk.id FROM lk) AND runs.last_sequence = x.expected AND (x.owner IS NULL OR (runs.lease_owner = x.owner AND runs.lease_epoch = x.epoch))
    RETURNING runs.id
  ), ev AS (
    INSERT INTO run_events (run_id, sequence, event_id, event_type, payload, request_id, correlation_id)
    SELECT e.run_id, e.sequence, e.event_id, e.event_type, e.payload, e.request_id, e.correlation_id
    FROM jsonb_to_recordset($2::jsonb) AS e(run_id text, sequence bigint, event_id text, event_type text, payload jsonb, request_id text, correlation_id text)
    JOIN r ON r.id = e.run_id
  ), y AS MATERIALIZED (
    SELECT y.* FROM jsonb_to_recordset($3::jsonb) AS y(id text, run_id text, node_id text, node_type text, iteration int, status text,
      outcome text, fallback_used boolean, degraded_reason text, warnings jsonb, error jsonb, input_snapshot jsonb, output jsonb,
      routing jsonb, attempts jsonb, idempotency_key text, retry_of text, rewound_from text, queued_sequence bigint,
      checkpoint_sequence bigint, created_order bigint, usage jsonb, started_at timestamptz, finished_at timestamptz, ws boolean, wo boolean,
      oseq bigint)
    JOIN r ON r.id = y.run_id
  ), nu AS (
    -- existing node runs: large columns the commit did not change (ws / wo false) are left as they are
    UPDATE node_runs SET status = y.status, outcome = y.outcome, fallback_used = y.fallback_used, degraded_reason = y.degraded_reason,
      warnings = COALESCE(y.warnings, '[]'), error = y.error,
      input_snapshot = CASE WHEN y.ws THEN COALESCE(y.input_snapshot, '{}') ELSE node_runs.input_snapshot END,
      output = CASE WHEN y.wo THEN y.output ELSE node_runs.output END,
      routing = CASE WHEN y.wo THEN y.routing ELSE node_runs.routing END,
      output_seq = CASE WHEN y.wo THEN y.oseq ELSE node_runs.output_seq END,
      attempts = COALESCE(y.attempts, '[]'), checkpoint_sequence = y.checkpoint_sequence, usage = y.usage,
      started_at = y.started_at, finished_at = y.finished_at
    FROM y WHERE node_runs.id = y.id
  ), ni AS (
    -- new node runs (always sent whole); the UPDATE above and this INSERT touch disjoint rows
    INSERT INTO node_runs (id, run_id, node_id, node_type, iteration, status, outcome, fallback_used, degraded_reason, warnings, error,
      input_snapshot, output, routing, attempts, idempotency_key, retry_of, rewound_from, queued_sequence, checkpoint_sequence,
      created_order, usage, started_at, finished_at, output_seq)
    SELECT y.id, y.run_id, y.node_id, y.node_type, y.iteration, y.status, y.outcome, y.fallback_used, y.degraded_reason,
      COALESCE(y.warnings, '[]'), y.error, COALESCE(y.input_snapshot, '{}'), y.output, y.routing, COALESCE(y.attempts, '[]'),
      y.idempotency_key, y.retry_of, y.rewound_from, y.queued_sequence, y.checkpoint_sequence, y.created_order, y.usage,
      y.started_at, y.finished_at, y.oseq
    FROM y WHERE NOT EXISTS (SELECT 1 FROM node_runs o WHERE o.id = y.id)
  ), nw AS (
    INSERT INTO runs (id, flowchart_id, flowchart_version, status, input, parent_run_id, parent_node_run_id, continued_from, request_id, correlation_id, continuation)
    SELECT n.id, n.flowchart_id, n.flowchart_version, 'queued', n.input, n.parent_run_id, n.parent_node_run_id, n.continued_from, n.request_id,
      n.correlation_id, COALESCE(n.continuation, 0)
    FROM jsonb_to_recordset($4::jsonb) AS n(id text, by_run text, flowchart_id text, flowchart_version int, input jsonb, parent_run_id text,
      parent_node_run_id text, continued_from text, request_id text, correlation_id text, continuation int)
    JOIN r ON r.id = n.by_run
  ), mc AS (
    -- the model calls of the attempts whose outcome this commit records (only for runs that passed the fence)
    INSERT INTO model_calls (${MODEL_CALL_NAMES})
    SELECT ${MODEL_CALL_NAMES.split(', ').map((n) => `m.${n}`).join(', ')}
    FROM jsonb_to_recordset($5::jsonb) AS m(${MODEL_CALL_COLUMNS}) JOIN r ON r.id = m.run_id
  ), s AS (
    SELECT x.* FROM x JOIN r ON r.id = x.id WHERE x.snap_seq IS NOT NULL
  ), sn AS (
    -- a snapshot of the folded state, when due; older ones beyond the newest few are dropped
    INSERT INTO run_snapshots (run_id, sequence, state, output_refs)
    SELECT s.id, s.snap_seq, json_build_object('format', s.snap_format, 'state', s.snap_state), s.snap_refs FROM s
  ), sd AS (
    DELETE FROM run_snapshots d USING s WHERE d.run_id = s.id
      AND d.sequence < (SELECT min(sequence) FROM (SELECT sequence FROM run_snapshots k WHERE k.run_id = s.id ORDER BY sequence DESC LIMIT ${SNAPSHOTS_KEPT - 1}) AS newest)
  ), nt AS (
    -- delivered by PostgreSQL only when this statement commits
    SELECT pg_notify('llmctl_run_events', x.notify) FROM x JOIN r ON r.id = x.id
  )
  SELECT (SELECT coalesce(array_agg(id), '{}') FROM r) AS ids, (SELECT count(*) FROM nt)::int AS notified`;
