import type pg from 'pg';
import type { ErrorInfo, FlowchartDocument } from '@llmctl/contracts';
import { LlmctlError } from '@llmctl/contracts';
import type { Commit, NewRun, RunRecord, RunSnapshot, RunStore, StoredEvent } from '@llmctl/runtime';
import { FencedError, nodeRunView } from '@llmctl/runtime';

/** Snapshots kept per run: the newest few (rewinds further back fold from an older one or from the start). */
const SNAPSHOTS_KEPT = 4;

/** Runs one recovery scan may adopt at once (a process that died with thousands of runs is taken over in batches). */
export const RECOVERY_BATCH = 100;

const ACTIVE_UNLEASHED = `('queued','running','pausing','canceling')`;

const RUN_COLUMNS = `id, flowchart_id, flowchart_version, status, input, parent_run_id, parent_node_run_id, continued_from,
  continued_to, continuation, lease_owner, lease_epoch, lease_expires_at, last_sequence, request_id, correlation_id`;

/**
 * The runtime's `RunStore` on PostgreSQL. A commit is ONE SQL statement (data-modifying CTEs): the fenced sequence
 * bump on the run row, the log append and the node-run upserts succeed or fail together, in one round trip.
 */
export class PgRunStore implements RunStore {
  constructor(private readonly pool: pg.Pool) {}

  async getFlowchartVersion(flowchartId: string, version?: number): Promise<{ version: number; document: FlowchartDocument } | null> {
    const r = version === undefined
      ? await this.pool.query(`SELECT v.version, v.document FROM flowchart_versions v JOIN flowcharts f ON f.id = v.flowchart_id AND f.latest_version = v.version WHERE f.id = $1`, [flowchartId])
      : await this.pool.query(`SELECT version, document FROM flowchart_versions WHERE flowchart_id = $1 AND version = $2`, [flowchartId, version]);
    const row = r.rows[0] as { version: number; document: FlowchartDocument } | undefined;
    return row ? { version: row.version, document: row.document } : null;
  }

  async latestVersion(flowchartId: string): Promise<number | null> {
    const r = await this.pool.query(`SELECT latest_version FROM flowcharts WHERE id = $1`, [flowchartId]);
    return (r.rows[0] as { latest_version: number } | undefined)?.latest_version ?? null;
  }

  /** Inserts a queued run; `not_found` when its flowchart was deleted meanwhile (a start racing a delete). */
  async createRun(run: NewRun): Promise<void> {
    await this.insertRun(run, null, 0);
  }

  /** The run row with `owner`'s lease (epoch 1) taken in the same INSERT; returns the row. */
  async createLeasedRun(run: NewRun, owner: string, ttlMs: number): Promise<RunRecord> {
    return (await this.insertRun(run, owner, ttlMs))!;
  }

  private async insertRun(run: NewRun, owner: string | null, ttlMs: number): Promise<RunRecord | undefined> {
    try {
      const r = await this.pool.query(
        `INSERT INTO runs (id, flowchart_id, flowchart_version, status, input, parent_run_id, parent_node_run_id, continued_from, request_id, correlation_id, continuation,
           lease_owner, lease_epoch, lease_expires_at)
         VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, $8, $9, $10,
           $11::text, CASE WHEN $11::text IS NULL THEN 0 ELSE 1 END, CASE WHEN $11::text IS NULL THEN NULL ELSE now() + ($12::int * interval '1 millisecond') END)
         RETURNING ${RUN_COLUMNS}`,
        [run.id, run.flowchart_id, run.flowchart_version, JSON.stringify(run.input ?? null), run.parent_run_id ?? null, run.parent_node_run_id ?? null, run.continued_from ?? null, run.request_id ?? null, run.correlation_id ?? null, run.continuation ?? 0, owner, ttlMs],
      );
      return r.rows[0] as RunRecord | undefined;
    } catch (err) {
      if ((err as { code?: string }).code === '23503') {
        throw new LlmctlError('not_found', `flowchart ${run.flowchart_id} not found (it was deleted)`, { flowchart_id: run.flowchart_id });
      }
      throw err;
    }
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    const r = await this.pool.query(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1`, [runId]);
    return (r.rows[0] as RunRecord | undefined) ?? null;
  }

  async commit(c: Commit): Promise<void> {
    const events = c.events.map((e) => ({ ...e, payload: e.payload }));
    // Large fields (input snapshot, output, routing, run input) are sent and rewritten only when the batch changed them.
    const snap = c.writes ? new Set(c.writes.snapshot) : null;
    const out = c.writes ? new Set(c.writes.output) : null;
    const nodeRuns = c.node_runs.map((n) => {
      const v = nodeRunView(n);
      const ws = !snap || snap.has(n.id);
      const wo = !out || out.has(n.id);
      return {
        ...v, input_snapshot: ws ? v.input_snapshot : null, output: wo ? v.output : null, routing: wo ? v.routing : null, ws, wo,
        queued_sequence: n.queued_seq, checkpoint_sequence: n.started_seq, created_order: n.created_order,
      };
    });
    const writeRunInput = !c.writes || c.writes.run_input;
    const run = c.run;
    const sql = `
      WITH r AS (
        UPDATE runs SET last_sequence = $2::bigint + $4::int, status = $5, input = CASE WHEN $20::boolean THEN $6::jsonb ELSE input END, output = $7::jsonb, error = $8::jsonb,
          warnings = $9::jsonb, leftover_tokens = $10::jsonb, started_at = $11::timestamptz, finished_at = $12::timestamptz,
          running_ms = $13, running_since = $14::timestamptz, continued_to = COALESCE($15, continued_to), updated_at = now()
        WHERE id = $1 AND last_sequence = $2 AND ($3::text IS NULL OR (lease_owner = $3 AND lease_epoch = $16))
        RETURNING id
      ), ev AS (
        INSERT INTO run_events (run_id, sequence, event_id, event_type, payload, request_id, correlation_id)
        SELECT r.id, e.sequence, e.event_id, e.event_type, e.payload, e.request_id, e.correlation_id
        FROM r, jsonb_to_recordset($17::jsonb) AS e(sequence bigint, event_id text, event_type text, payload jsonb, request_id text, correlation_id text)
      ), nr AS (
        INSERT INTO node_runs (id, run_id, node_id, node_type, iteration, status, outcome, fallback_used, degraded_reason, warnings, error,
          input_snapshot, output, routing, attempts, idempotency_key, retry_of, rewound_from, queued_sequence, checkpoint_sequence,
          created_order, usage, started_at, finished_at)
        SELECT x.id, r.id, x.node_id, x.node_type, x.iteration, x.status, x.outcome, x.fallback_used, x.degraded_reason,
          COALESCE(x.warnings, '[]'), x.error,
          CASE WHEN x.ws THEN COALESCE(x.input_snapshot, '{}') ELSE '{"__keep":1}' END,
          CASE WHEN x.wo THEN x.output ELSE '{"__keep":1}' END, CASE WHEN x.wo THEN x.routing ELSE '{"__keep":1}' END,
          COALESCE(x.attempts, '[]'), x.idempotency_key,
          x.retry_of, x.rewound_from, x.queued_sequence, x.checkpoint_sequence, x.created_order, x.usage, x.started_at, x.finished_at
        FROM r, jsonb_to_recordset($18::jsonb) AS x(id text, node_id text, node_type text, iteration int, status text, outcome text,
          fallback_used boolean, degraded_reason text, warnings jsonb, error jsonb, input_snapshot jsonb, output jsonb, routing jsonb,
          attempts jsonb, idempotency_key text, retry_of text, rewound_from text, queued_sequence bigint, checkpoint_sequence bigint,
          created_order bigint, usage jsonb, started_at timestamptz, finished_at timestamptz, ws boolean, wo boolean)
        ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, outcome = EXCLUDED.outcome, fallback_used = EXCLUDED.fallback_used,
          degraded_reason = EXCLUDED.degraded_reason, warnings = EXCLUDED.warnings, error = EXCLUDED.error,
          -- {"__keep":1} marks a large field this commit did not change (new rows always carry every field)
          input_snapshot = CASE WHEN EXCLUDED.input_snapshot = '{"__keep":1}' THEN node_runs.input_snapshot ELSE EXCLUDED.input_snapshot END,
          output = CASE WHEN EXCLUDED.output = '{"__keep":1}' THEN node_runs.output ELSE EXCLUDED.output END,
          routing = CASE WHEN EXCLUDED.routing = '{"__keep":1}' THEN node_runs.routing ELSE EXCLUDED.routing END, attempts = EXCLUDED.attempts,
          checkpoint_sequence = EXCLUDED.checkpoint_sequence, usage = EXCLUDED.usage, started_at = EXCLUDED.started_at,
          finished_at = EXCLUDED.finished_at
      ), nw AS (
        INSERT INTO runs (id, flowchart_id, flowchart_version, status, input, parent_run_id, parent_node_run_id, continued_from, request_id, correlation_id, continuation)
        SELECT n.id, n.flowchart_id, n.flowchart_version, 'queued', n.input, n.parent_run_id, n.parent_node_run_id, n.continued_from, n.request_id, n.correlation_id, COALESCE(n.continuation, 0)
        FROM r, jsonb_to_recordset($19::jsonb) AS n(id text, flowchart_id text, flowchart_version int, input jsonb, parent_run_id text,
          parent_node_run_id text, continued_from text, request_id text, correlation_id text, continuation int)
      ), sn AS (
        -- a snapshot of the folded state, when due; older ones beyond the newest few are dropped
        INSERT INTO run_snapshots (run_id, sequence, state)
        SELECT $1, $22::bigint, jsonb_build_object('format', $23::int, 'state', $24::jsonb) FROM r WHERE $22::bigint IS NOT NULL
      ), sd AS (
        DELETE FROM run_snapshots WHERE run_id = $1 AND $22::bigint IS NOT NULL AND EXISTS (SELECT 1 FROM r)
          AND sequence < (SELECT min(sequence) FROM (SELECT sequence FROM run_snapshots WHERE run_id = $1 ORDER BY sequence DESC LIMIT ${SNAPSHOTS_KEPT - 1}) AS newest)
      ), nt AS (
        -- delivered by PostgreSQL only when this statement commits
        SELECT pg_notify('llmctl_run_events', $21) FROM r
      )
      SELECT count(*)::int AS n FROM r, (SELECT count(*) FROM nt) AS notified`;
    const params = [
      c.run_id, c.expected_sequence, c.lease?.owner ?? null, c.events.length, run.status, JSON.stringify(run.input ?? null),
      JSON.stringify(run.output ?? null), JSON.stringify(run.error), JSON.stringify(run.warnings), JSON.stringify(run.leftover_tokens),
      run.started_at, run.finished_at, run.running_ms, run.running_since, run.continued_to ?? null, c.lease?.epoch ?? 0,
      JSON.stringify(events), JSON.stringify(nodeRuns),
      JSON.stringify((c.new_runs ?? []).map((n) => ({ ...n, input: n.input ?? null }))),
      writeRunInput, JSON.stringify({ run_id: c.run_id, last_sequence: c.expected_sequence + c.events.length }),
      c.snapshot?.sequence ?? null, c.snapshot?.format ?? null, c.snapshot?.state_json ?? null,
    ];
    const res = await this.pool.query(sql, params);
    if ((res.rows[0] as { n: number }).n !== 1) throw new FencedError(c.run_id);
  }

  async loadSnapshot(runId: string, atOrBefore: number): Promise<RunSnapshot | null> {
    const r = await this.pool.query<{ sequence: string | number; state: { format: number; state: RunSnapshot['state'] } }>(
      `SELECT sequence, state FROM run_snapshots WHERE run_id = $1 AND sequence <= $2 ORDER BY sequence DESC LIMIT 1`,
      [runId, Number.isFinite(atOrBefore) ? atOrBefore : Number.MAX_SAFE_INTEGER],
    );
    const row = r.rows[0];
    return row ? { sequence: Number(row.sequence), format: row.state.format, state: row.state.state } : null;
  }

  async loadEvents(runId: string, afterSequence: number, limit = 1000): Promise<StoredEvent[]> {
    const r = await this.pool.query(
      `SELECT run_id, sequence, event_id, event_type, payload, request_id, correlation_id, created_at
       FROM run_events WHERE run_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3`,
      [runId, afterSequence, limit],
    );
    return r.rows as StoredEvent[];
  }

  async acquireLease(runId: string, owner: string, ttlMs: number, isDead: (owner: string) => boolean): Promise<number | null> {
    const cur = await this.pool.query(`SELECT lease_owner FROM runs WHERE id = $1`, [runId]);
    const row = cur.rows[0] as { lease_owner: string | null } | undefined;
    if (!row) return null;
    const dead = row.lease_owner !== null && row.lease_owner !== owner && isDead(row.lease_owner);
    const r = await this.pool.query(
      `UPDATE runs SET lease_owner = $2, lease_epoch = lease_epoch + 1, lease_expires_at = now() + ($3::int * interval '1 millisecond')
       WHERE id = $1 AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires_at < now() OR ($4::boolean AND lease_owner = $5))
       RETURNING lease_epoch`,
      [runId, owner, ttlMs, dead, row.lease_owner],
    );
    return (r.rows[0] as { lease_epoch: number } | undefined)?.lease_epoch ?? null;
  }

  async renewLeases(owner: string, runIds: string[], ttlMs: number): Promise<string[]> {
    if (runIds.length === 0) return [];
    const r = await this.pool.query(
      `UPDATE runs SET lease_expires_at = now() + ($3::int * interval '1 millisecond') WHERE id = ANY($2::text[]) AND lease_owner = $1 RETURNING id`,
      [owner, runIds, ttlMs],
    );
    return r.rows.map((x: { id: string }) => x.id);
  }

  async releaseLease(runId: string, owner: string): Promise<void> {
    await this.pool.query(`UPDATE runs SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2`, [runId, owner]);
  }

  /**
   * Runs this process may take over, oldest lease first, at most {@link RECOVERY_BATCH} (the next scan takes the
   * rest): free or expired leases, plus leases of owners on this host (`isDead` probes their pid). Leases of live
   * owners on other hosts are filtered out in SQL (partial index `runs_active_lease_idx`).
   */
  async findRunsToRecover(owner: string, isDead: (owner: string) => boolean): Promise<string[]> {
    const host = owner.split(':')[1] ?? '';
    const sameHost = `llmctl:${host.replace(/[\\%_]/g, (c) => `\\${c}`)}:%`;
    const r = await this.pool.query(
      `SELECT id, lease_owner, (lease_owner IS NULL OR lease_expires_at < now()) AS free FROM runs
       WHERE status IN ${ACTIVE_UNLEASHED} AND (lease_owner IS NULL OR lease_owner <> $1)
         AND (lease_owner IS NULL OR lease_expires_at < now() OR lease_owner LIKE $2)
         -- a run created a moment ago and not yet leased belongs to the process starting it (it leases it next)
         AND NOT (lease_owner IS NULL AND last_sequence = 0 AND created_at > now() - interval '10 seconds')
       ORDER BY lease_expires_at NULLS FIRST, created_at
       LIMIT $3`,
      [owner, sameHost, RECOVERY_BATCH],
    );
    return (r.rows as { id: string; lease_owner: string | null; free: boolean }[])
      .filter((x) => x.free || (x.lease_owner !== null && isDead(x.lease_owner)))
      .map((x) => x.id);
  }

  async getRunResult(runId: string) {
    const r = await this.pool.query(`SELECT status, output, error FROM runs WHERE id = $1`, [runId]);
    return (r.rows[0] as { status: RunRecord['status']; output: unknown; error: ErrorInfo | null } | undefined) ?? null;
  }

  async chainTail(runId: string): Promise<string | null> {
    const r = await this.pool.query(
      `WITH RECURSIVE chain(id, continued_to, depth) AS (
         SELECT id, continued_to, 0 FROM runs WHERE id = $1
         UNION ALL SELECT r.id, r.continued_to, c.depth + 1 FROM runs r JOIN chain c ON r.id = c.continued_to WHERE c.depth < 1000000
       ) SELECT id FROM chain ORDER BY depth DESC LIMIT 1`,
      [runId],
    );
    return (r.rows[0] as { id: string } | undefined)?.id ?? null;
  }

  async listActiveChildRuns(parentRunId: string): Promise<string[]> {
    const r = await this.pool.query(`SELECT id FROM runs WHERE parent_run_id = $1 AND status IN ('queued','running','pausing','paused','canceling')`, [parentRunId]);
    return r.rows.map((x: { id: string }) => x.id);
  }
}
