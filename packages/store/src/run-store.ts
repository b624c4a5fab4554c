import type pg from 'pg';
import type { ErrorInfo, FlowchartDocument } from '@llmctl/contracts';
import { LlmctlError } from '@llmctl/contracts';
import type { Commit, ModelCallRecord, NewLeasedRun, NewRun, RunRecord, RunSnapshot, RunStore, StoredEvent } from '@llmctl/runtime';
import { MODEL_CALLS_SQL, encodeCommit, encodeModelCall } from './commit-statement.ts';
import { GroupCommitter, type GroupCommitOptions, type GroupCommitStats } from './group-commit.ts';
import { expandEvents } from './stored-outputs.ts';

/** Runs one recovery scan may adopt at once (a process that died with thousands of runs is taken over in batches). */
export const RECOVERY_BATCH = 100;

const ACTIVE_UNLEASHED = `('queued','running','pausing','canceling')`;

const RUN_COLUMNS = `id, flowchart_id, flowchart_version, status, input, parent_run_id, parent_node_run_id, continued_from,
  continued_to, continuation, lease_owner, lease_epoch, lease_expires_at, last_sequence, request_id, correlation_id`;

/** A run's INSERT failed: a missing flowchart is `not_found` (the errors of a run creation, with or without its commit). */
function creationError(err: unknown, run: { flowchart_id: string; flowchart_version: number | null }): unknown {
  // 23502: there is no flowchart to take the latest version of
  if ((err as { code?: string }).code === '23502' && run.flowchart_version === null) {
    return new LlmctlError('not_found', `flowchart ${run.flowchart_id} not found`, { flowchart_id: run.flowchart_id });
  }
  if ((err as { code?: string }).code === '23503') {
    return new LlmctlError('not_found', `flowchart ${run.flowchart_id} not found (it was deleted)`, { flowchart_id: run.flowchart_id });
  }
  return err;
}

/**
 * The runtime's `RunStore` on PostgreSQL. A commit is ONE SQL statement (data-modifying CTEs): the fenced sequence
 * bump on the run row, the log append and the node-run upserts succeed or fail together, in one round trip; commits
 * of concurrent runs share that statement (group commit).
 */
export class PgRunStore implements RunStore {
  private readonly committer: GroupCommitter;

  constructor(private readonly pool: pg.Pool, groupCommit: GroupCommitOptions = {}) {
    this.committer = new GroupCommitter(pool, groupCommit);
  }

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

  /**
   * The run row with `owner`'s lease (epoch 1) taken in the same INSERT; returns the row. A null `flowchart_version`
   * is the flowchart's latest version, read by the same statement (no separate version read before a run starts).
   */
  async createLeasedRun(run: NewLeasedRun, owner: string, ttlMs: number): Promise<RunRecord> {
    return (await this.insertRun(run, owner, ttlMs))!;
  }

  private async insertRun(run: NewLeasedRun, owner: string | null, ttlMs: number): Promise<RunRecord | undefined> {
    try {
      const r = await this.pool.query(
        `INSERT INTO runs (id, flowchart_id, flowchart_version, status, input, parent_run_id, parent_node_run_id, continued_from, request_id, correlation_id, continuation,
           lease_owner, lease_epoch, lease_expires_at)
         VALUES ($1, $2, COALESCE($3::int, (SELECT latest_version FROM flowcharts WHERE id = $2)), 'queued', $4, $5, $6, $7, $8, $9, $10,
           $11::text, CASE WHEN $11::text IS NULL THEN 0 ELSE 1 END, CASE WHEN $11::text IS NULL THEN NULL ELSE now() + ($12::int * interval '1 millisecond') END)
         RETURNING ${RUN_COLUMNS}`,
        [run.id, run.flowchart_id, run.flowchart_version, JSON.stringify(run.input ?? null), run.parent_run_id ?? null, run.parent_node_run_id ?? null, run.continued_from ?? null, run.request_id ?? null, run.correlation_id ?? null, run.continuation ?? 0, owner, ttlMs],
      );
      return r.rows[0] as RunRecord | undefined;
    } catch (err) {
      throw creationError(err, run);
    }
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    const r = await this.pool.query(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1`, [runId]);
    return (r.rows[0] as RunRecord | undefined) ?? null;
  }

  /**
   * Commits one run's change (fenced by sequence and lease epoch). Commits of several runs that are ready while another
   * commit is in flight go to PostgreSQL together in one statement (see {@link GroupCommitter}).
   */
  commit(c: Commit): Promise<void> {
    const done = this.committer.submit(encodeCommit(c, this.releasesLeaseOnTerminalCommit));
    const created = c.create?.run;
    return created ? done.catch((err: unknown) => Promise.reject(creationError(err, created))) : done;
  }

  /** Commits may create their run (`Commit.create`): see commit-sql.ts's INSERT arm. */
  readonly createsRunInCommit = true;

  /**
   * A commit leaving its run terminal releases the run's lease (commit-sql.ts). Writable for the benchmark's A/B only
   * (false: the orchestrator releases each lease with its own statement, as before).
   */
  releasesLeaseOnTerminalCommit = true;

  /** Stores model-call records outside a commit (one INSERT); with this the runtime hands records to the commit. */
  async recordModelCalls(calls: ModelCallRecord[]): Promise<void> {
    if (calls.length === 0) return;
    await this.pool.query(MODEL_CALLS_SQL, [`[${calls.map(encodeModelCall).join(',')}]`]);
  }

  /** Changes the group-commit limits (see {@link GroupCommitter.configure}). */
  configureGroupCommit(o: GroupCommitOptions): void {
    this.committer.configure(o);
  }

  /** Counters of the group commit (commits, transactions, largest batch). */
  commitStats(): GroupCommitStats {
    return { ...this.committer.stats };
  }

  /**
   * The newest snapshot at or before `atOrBefore`, with the outputs it keeps by reference (`output_refs`, the
   * sequences of the events that logged them) read in the same statement.
   */
  async loadSnapshot(runId: string, atOrBefore: number): Promise<RunSnapshot | null> {
    const r = await this.pool.query<{ sequence: string | number; state: { format: number; state: RunSnapshot['state'] }; outputs: Record<string, unknown> | null }>(
      `SELECT s.sequence, s.state,
         (SELECT jsonb_object_agg(e.sequence::text, e.payload->'output') FROM run_events e
          WHERE e.run_id = s.run_id AND e.sequence = ANY(s.output_refs)) AS outputs
       FROM run_snapshots s WHERE s.run_id = $1 AND s.sequence <= $2 ORDER BY s.sequence DESC LIMIT 1`,
      [runId, Number.isFinite(atOrBefore) ? atOrBefore : Number.MAX_SAFE_INTEGER],
    );
    const row = r.rows[0];
    return row ? { sequence: Number(row.sequence), format: row.state.format, state: row.state.state, outputs: row.outputs ?? {} } : null;
  }

  /** Events after `afterSequence`, as the engine emitted them (token outputs stored by reference are put back). */
  async loadEvents(runId: string, afterSequence: number, limit = 1000): Promise<StoredEvent[]> {
    const r = await this.pool.query(
      `SELECT run_id, sequence, event_id, event_type, payload, request_id, correlation_id, created_at
       FROM run_events WHERE run_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3`,
      [runId, afterSequence, limit],
    );
    const rows = r.rows as StoredEvent[];
    await expandEvents(this.pool, runId, rows);
    return rows;
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
    // Rows locked in id order, as a group-commit batch locks them (commit-statement.ts), so the two cannot deadlock;
    // a deadlock with anything else (40P01) is retried once, and a failed renewal is retried by the next one anyway.
    const sql = `UPDATE runs SET lease_expires_at = now() + ($3::int * interval '1 millisecond')
      WHERE lease_owner = $1 AND id IN (SELECT id FROM runs WHERE id = ANY($2::text[]) AND lease_owner = $1 ORDER BY id FOR UPDATE) RETURNING id`;
    const r = await this.pool.query(sql, [owner, runIds, ttlMs]).catch((err: { code?: string }) => {
      if (err.code === '40P01') return this.pool.query(sql, [owner, runIds, ttlMs]);
      throw err;
    });
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
