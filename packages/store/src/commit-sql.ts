/**
 * The SQL text of the commit statement, built from the shape of a batch: arms a batch does not need (the row lock of a
 * multi-run batch, snapshots, continue-as-new runs, model calls, the UPDATE of existing node runs of a run being
 * created) are left out, since even an empty data-modifying CTE costs executor setup. Each shape is its own prepared
 * statement (its own name), planned once per connection.
 */

/** Snapshots kept per run: the newest few (rewinds further back fold from an older one or from the start). */
export const SNAPSHOTS_KEPT = 4;

/** Which arms a commit statement carries. */
export interface CommitShape {
  /** Some runs of the batch are created by it (their row is INSERTed with the lease, see `Commit.create`). */
  create: boolean;
  /** Some runs of the batch exist (their row is updated, fenced on sequence and lease epoch). */
  update: boolean;
  /** More than one existing run: their rows are locked in id order first (see `lk`). */
  lock: boolean;
  /** Some run writes a snapshot. */
  snapshot: boolean;
  /** Some run creates runs (continue-as-new). */
  newRuns: boolean;
  /** Some run stores model-call records. */
  modelCalls: boolean;
}

/** Every arm: the statement {@link COMMIT_SQL} of commit-statement.ts (existing runs only). */
export const FULL_SHAPE: CommitShape = { create: false, update: true, lock: true, snapshot: true, newRuns: true, modelCalls: true };

/** Columns of `model_calls` and their types in a recordset. */
export const MODEL_CALL_COLUMNS = `id text, run_id text, node_run_id text, node_id text, model_name text, provider text, attempt int,
  kind text, response_index int, status text, error jsonb, usage jsonb, started_at timestamptz, finished_at timestamptz,
  idempotency_key text, step int, repair_attempt int, request jsonb, response jsonb, parsed_output jsonb, latency_ms int,
  cost double precision, replayed_from text`;

/** The column names of {@link MODEL_CALL_COLUMNS}. */
export const MODEL_CALL_NAMES = MODEL_CALL_COLUMNS.split(',').map((c) => c.trim().split(/\s+/)[0]!).join(', ');

const RUN_FIELDS = `id text, expected bigint, owner text, epoch bigint, n int, status text,
      write_input boolean, input jsonb, output jsonb, error jsonb, warnings jsonb, leftover_tokens jsonb, started_at timestamptz,
      finished_at timestamptz, running_ms bigint, running_since timestamptz, continued_to text, notify text, release boolean, ttl_ms int`;
const CREATE_FIELDS = `c boolean, flowchart_id text, flowchart_version int, parent_run_id text, parent_node_run_id text,
      continued_from text, request_id text, correlation_id text, continuation int, if_latest boolean`;
const SNAPSHOT_FIELDS = `snap_seq bigint, snap_format int, snap_refs bigint[], snap_state json`;

/** The order of the recordset parameters: runs, events, node runs, then new runs and model calls when present. */
export function commitParamKinds(shape: CommitShape): ('runs' | 'events' | 'nodeRuns' | 'newRuns' | 'modelCalls')[] {
  return ['runs', 'events', 'nodeRuns', ...(shape.newRuns ? ['newRuns' as const] : []), ...(shape.modelCalls ? ['modelCalls' as const] : [])];
}

/** A short stable key of a shape (part of the prepared statement's name). */
export function shapeKey(s: CommitShape): string {
  return [s.create, s.update, s.lock, s.snapshot, s.newRuns, s.modelCalls].map((b) => (b ? '1' : '0')).join('');
}

/** The created runs' INSERT: lease taken (owner, epoch, expiry), sequence at its first commit's last event. */
function createArm(name: string): string {
  return `${name} AS (
    -- runs created by this commit; a stale "latest" version or an id that exists inserts nothing (the run is fenced)
    INSERT INTO runs (id, flowchart_id, flowchart_version, status, input, output, error, warnings, leftover_tokens, started_at,
      finished_at, running_ms, running_since, continued_to, parent_run_id, parent_node_run_id, continued_from, request_id,
      correlation_id, continuation, lease_owner, lease_epoch, lease_expires_at, last_sequence)
    SELECT x.id, x.flowchart_id, x.flowchart_version, x.status, COALESCE(x.input, 'null'), COALESCE(x.output, 'null'),
      COALESCE(x.error, 'null'), x.warnings, x.leftover_tokens, x.started_at, x.finished_at, x.running_ms, x.running_since,
      x.continued_to, x.parent_run_id, x.parent_node_run_id, x.continued_from, x.request_id, x.correlation_id,
      COALESCE(x.continuation, 0), CASE WHEN x.release THEN NULL ELSE x.owner END, x.epoch,
      CASE WHEN x.release THEN NULL ELSE now() + (x.ttl_ms * interval '1 millisecond') END, x.expected + x.n
    FROM x WHERE x.c AND (x.if_latest IS NOT TRUE
      OR x.flowchart_version = (SELECT f.latest_version FROM flowcharts f WHERE f.id = x.flowchart_id))
    ON CONFLICT (id) DO NOTHING
    RETURNING runs.id
  )`;
}

/** The existing runs' fenced UPDATE (with the id-ordered row lock `lk` before it when `lock`). */
function updateArm(name: string, shape: CommitShape): string {
  const onlyExisting = shape.create ? ' AND x.c IS NOT TRUE' : '';
  const lk = shape.lock
    ? `lk AS MATERIALIZED (
    -- the batch's run rows are locked first, in id order, whatever join the UPDATE gets (a hash join scans runs in
    -- physical order); renewLeases locks in the same order, so the two never deadlock
    SELECT runs.id FROM runs WHERE runs.id IN (SELECT x.id FROM x) ORDER BY runs.id FOR UPDATE
  ), `
    : '';
  return `${lk}${name} AS (
    UPDATE runs SET last_sequence = x.expected + x.n, status = x.status,
      input = CASE WHEN x.write_input THEN COALESCE(x.input, 'null') ELSE runs.input END, output = COALESCE(x.output, 'null'),
      error = COALESCE(x.error, 'null'), warnings = x.warnings, leftover_tokens = x.leftover_tokens, started_at = x.started_at,
      finished_at = x.finished_at, running_ms = x.running_ms, running_since = x.running_since,
      continued_to = COALESCE(x.continued_to, runs.continued_to), updated_at = now(),
      -- a commit leaving the run terminal releases the lease; a later commit of the holder (same epoch) takes it again
      lease_owner = CASE WHEN x.owner IS NULL THEN runs.lease_owner WHEN x.release THEN NULL ELSE x.owner END,
      lease_expires_at = CASE WHEN x.owner IS NULL THEN runs.lease_expires_at WHEN x.release THEN NULL
        WHEN runs.lease_owner IS NULL THEN now() + (COALESCE(x.ttl_ms, 10000) * interval '1 millisecond') ELSE runs.lease_expires_at END
    FROM x
    WHERE runs.id = x.id${shape.lock ? ' AND runs.id IN (SELECT lk.id FROM lk)' : ''}${onlyExisting} AND runs.last_sequence = x.expected
      -- the holder's epoch; a lease it released itself (owner NULL, same epoch) still lets it commit: any other
      -- acquisition bumps the epoch
      AND (x.owner IS NULL OR (runs.lease_epoch = x.epoch AND (runs.lease_owner = x.owner OR runs.lease_owner IS NULL)))
    RETURNING runs.id
  )`;
}

const NODE_RUN_FIELDS = `id text, run_id text, node_id text, node_type text, iteration int, status text,
      outcome text, fallback_used boolean, degraded_reason text, warnings jsonb, error jsonb, input_snapshot jsonb, output jsonb,
      routing jsonb, attempts jsonb, idempotency_key text, retry_of text, rewound_from text, queued_sequence bigint,
      checkpoint_sequence bigint, created_order bigint, usage jsonb, started_at timestamptz, finished_at timestamptz, ws boolean, wo boolean,
      oseq bigint`;

/**
 * The commit statement of a batch of the given shape (see commit-statement.ts for the semantics): each run fenced on
 * its own, everything of a run joined to the runs actually written (`r`). Returns the committed run ids.
 */
export function buildCommitSql(shape: CommitShape): string {
  const p = new Map(commitParamKinds(shape).map((k, i) => [k, `$${i + 1}`]));
  const runArms = shape.create && shape.update
    ? `${createArm('rc')}, ${updateArm('ru', shape)}, r AS (SELECT id FROM rc UNION ALL SELECT id FROM ru)`
    : shape.create ? createArm('r') : updateArm('r', shape);
  const fields = [RUN_FIELDS, ...(shape.create ? [CREATE_FIELDS] : []), ...(shape.snapshot ? [SNAPSHOT_FIELDS] : [])].join(',\n      ');
  // A run being created has no node runs yet: a batch of created runs only inserts them.
  const nu = shape.update
    ? `, nu AS (
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
  )`
    : '';
  const nw = shape.newRuns
    ? `, nw AS (
    INSERT INTO runs (id, flowchart_id, flowchart_version, status, input, parent_run_id, parent_node_run_id, continued_from, request_id, correlation_id, continuation)
    SELECT n.id, n.flowchart_id, n.flowchart_version, 'queued', n.input, n.parent_run_id, n.parent_node_run_id, n.continued_from, n.request_id,
      n.correlation_id, COALESCE(n.continuation, 0)
    FROM jsonb_to_recordset(${p.get('newRuns')}::jsonb) AS n(id text, by_run text, flowchart_id text, flowchart_version int, input jsonb, parent_run_id text,
      parent_node_run_id text, continued_from text, request_id text, correlation_id text, continuation int)
    JOIN r ON r.id = n.by_run
  )`
    : '';
  const mc = shape.modelCalls
    ? `, mc AS (
    -- the model calls of the attempts whose outcome this commit records (only for runs that passed the fence)
    INSERT INTO model_calls (${MODEL_CALL_NAMES})
    SELECT ${MODEL_CALL_NAMES.split(', ').map((n) => `m.${n}`).join(', ')}
    FROM jsonb_to_recordset(${p.get('modelCalls')}::jsonb) AS m(${MODEL_CALL_COLUMNS}) JOIN r ON r.id = m.run_id
  )`
    : '';
  const snap = shape.snapshot
    ? `, s AS (
    SELECT x.* FROM x JOIN r ON r.id = x.id WHERE x.snap_seq IS NOT NULL
  ), sn AS (
    -- a snapshot of the folded state, when due; older ones beyond the newest few are dropped
    INSERT INTO run_snapshots (run_id, sequence, state, output_refs)
    SELECT s.id, s.snap_seq, json_build_object('format', s.snap_format, 'state', s.snap_state), s.snap_refs FROM s
  ), sd AS (
    DELETE FROM run_snapshots d USING s WHERE d.run_id = s.id
      AND d.sequence < (SELECT min(sequence) FROM (SELECT sequence FROM run_snapshots k WHERE k.run_id = s.id ORDER BY sequence DESC LIMIT ${SNAPSHOTS_KEPT - 1}) AS newest)
  )`
    : '';
  return `
  WITH x AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${fields})
  ), ${runArms}, ev AS (
    INSERT INTO run_events (run_id, sequence, event_id, event_type, payload, request_id, correlation_id)
    SELECT e.run_id, e.sequence, e.event_id, e.event_type, e.payload, e.request_id, e.correlation_id
    FROM jsonb_to_recordset($2::jsonb) AS e(run_id text, sequence bigint, event_id text, event_type text, payload jsonb, request_id text, correlation_id text)
    JOIN r ON r.id = e.run_id
  ), y AS MATERIALIZED (
    SELECT y.* FROM jsonb_to_recordset($3::jsonb) AS y(${NODE_RUN_FIELDS})
    JOIN r ON r.id = y.run_id
  )${nu}, ni AS (
    -- new node runs (always sent whole); the UPDATE above and this INSERT touch disjoint rows
    INSERT INTO node_runs (id, run_id, node_id, node_type, iteration, status, outcome, fallback_used, degraded_reason, warnings, error,
      input_snapshot, output, routing, attempts, idempotency_key, retry_of, rewound_from, queued_sequence, checkpoint_sequence,
      created_order, usage, started_at, finished_at, output_seq)
    SELECT y.id, y.run_id, y.node_id, y.node_type, y.iteration, y.status, y.outcome, y.fallback_used, y.degraded_reason,
      COALESCE(y.warnings, '[]'), y.error, COALESCE(y.input_snapshot, '{}'), y.output, y.routing, COALESCE(y.attempts, '[]'),
      y.idempotency_key, y.retry_of, y.rewound_from, y.queued_sequence, y.checkpoint_sequence, y.created_order, y.usage,
      y.started_at, y.finished_at, y.oseq
    FROM y${shape.update ? ' WHERE NOT EXISTS (SELECT 1 FROM node_runs o WHERE o.id = y.id)' : ''}
  )${nw}${mc}${snap}, nt AS (
    -- delivered by PostgreSQL only when this statement commits
    SELECT pg_notify('llmctl_run_events', x.notify) FROM x JOIN r ON r.id = x.id
  )
  SELECT (SELECT coalesce(array_agg(id), '{}') FROM r) AS ids, (SELECT count(*) FROM nt)::int AS notified`;
}

const built = new Map<string, { name: string; text: string }>();

/** The prepared statement (name and text) of a shape, built once. */
export function commitStatement(shape: CommitShape): { name: string; text: string } {
  const key = shapeKey(shape);
  let s = built.get(key);
  if (!s) {
    s = { name: `llmctl_commit_v3_${key}`, text: buildCommitSql(shape) };
    built.set(key, s);
  }
  return s;
}
