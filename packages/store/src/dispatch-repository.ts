/**
 * The executors' dispatch outbox (`executor_dispatches`, executors.md "Dispatch contract"). The payload and result
 * types are the executors' (`P`, `R`): this package stores them as JSON and does not depend
 * on @llmctl/executors (the dependency runs one way: executors → store).
 */
import type pg from 'pg';
import type { ErrorInfo, Warning } from '@llmctl/contracts';

/** Dispatch states recorded on an attempt (executors.md "Dispatch contract"). */
export type DispatchState = 'pending' | 'submitted' | 'confirmed' | 'finished' | 'failed';

/** A row of `executor_dispatches` (`R`: the attempt result type). */
export interface DispatchRow<R = unknown> {
  id: string;
  run_id: string;
  node_run_id: string;
  node_id: string;
  flowchart_id: string;
  attempt: number;
  sequence: number;
  lease_epoch: number;
  backend: string;
  class: string;
  gpu_fallback: boolean;
  state: DispatchState;
  job_id: string | null;
  worker_id: string | null;
  image: string | null;
  degraded_reason: string | null;
  result: R | null;
  error: ErrorInfo | null;
  warnings: Warning[];
}

/** Channels: results written by workers, abort requests for in-flight attempts, new jobs. */
export const DISPATCH_CHANNELS = { results: 'llmctl_executor_results', abort: 'llmctl_executor_abort', jobs: 'llmctl_executor_jobs' } as const;

const COLS = `id, run_id, node_run_id, node_id, flowchart_id, attempt, sequence::int AS sequence, lease_epoch::int AS lease_epoch, backend,
  class, gpu_fallback, state, job_id, worker_id, image, degraded_reason, result, error, warnings`;

/**
 * SQL of the dispatch outbox; every state change is fenced on the state it leaves (and the worker that holds it).
 * `P`: the attempt payload type, `R`: the attempt result type.
 */
export class DispatchRepository<P = unknown, R = unknown> {
  constructor(readonly pool: pg.Pool) {}

  /** The latest dispatch of a node run (written by the commit that started its current attempt), if any. */
  async latest(nodeRunId: string): Promise<DispatchRow<R> | null> {
    const r = await this.pool.query(`SELECT ${COLS} FROM executor_dispatches WHERE node_run_id = $1 ORDER BY sequence DESC LIMIT 1`, [nodeRunId]);
    return (r.rows[0] as DispatchRow<R> | undefined) ?? null;
  }

  async get(ids: string[]): Promise<DispatchRow<R>[]> {
    if (ids.length === 0) return [];
    const r = await this.pool.query(`SELECT ${COLS} FROM executor_dispatches WHERE id = ANY($1::text[])`, [ids]);
    return r.rows as DispatchRow<R>[];
  }

  /** pending → submitted, with the payload, job id and image; false when the dispatch already moved on. */
  async submitted(id: string, payload: P, jobId: string, image: string | null): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE executor_dispatches SET state = 'submitted', payload = $2, job_id = $3, image = $4, submitted_at = now()
       WHERE id = $1 AND state = 'pending' RETURNING id`, [id, JSON.stringify(payload), jobId, image]);
    return r.rowCount === 1;
  }

  /** Records backend facts while the dispatch is live (image after a fallback, job id, degraded reason). */
  async annotate(id: string, a: { image?: string | null; job_id?: string | null; degraded_reason?: string | null; warning?: Warning }): Promise<void> {
    await this.pool.query(
      `UPDATE executor_dispatches SET image = COALESCE($2, image), job_id = COALESCE($3, job_id), degraded_reason = COALESCE($4, degraded_reason),
         warnings = CASE WHEN $5::jsonb IS NULL THEN warnings ELSE warnings || $5::jsonb END WHERE id = $1`,
      [id, a.image ?? null, a.job_id ?? null, a.degraded_reason ?? null, a.warning ? JSON.stringify([a.warning]) : null]);
  }

  /** submitted → confirmed by `workerId`; null when the dispatch is gone, aborted or held by someone else. */
  async confirm(id: string, workerId: string | null): Promise<{ payload: P } | null> {
    const r = await this.pool.query(
      `UPDATE executor_dispatches SET state = 'confirmed', worker_id = $2, confirmed_at = now()
       WHERE id = $1 AND state = 'submitted' RETURNING payload`, [id, workerId]);
    return (r.rows[0] as { payload: P } | undefined) ?? null;
  }

  /**
   * submitted → confirmed unless a concurrency limit is reached (0 = none): attempts on queue workers overall, and of
   * the dispatch's flowchart. Claims are serialised by an advisory lock while a limit is set, so a full queue never
   * over-admits. `limited` when the dispatch must wait.
   */
  async confirmWithin(id: string, workerId: string, maxAll: number, maxPerFlowchart: number): Promise<{ payload: P } | 'limited' | null> {
    if (maxAll <= 0 && maxPerFlowchart <= 0) return this.confirm(id, workerId);
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('llmctl:executor:claim'))`);
      const r = await c.query(
        `SELECT d.state,
           (SELECT count(*) FROM executor_dispatches WHERE state = 'confirmed' AND backend = 'queue')::int AS all_n,
           (SELECT count(*) FROM executor_dispatches x WHERE x.state = 'confirmed' AND x.backend = 'queue' AND x.flowchart_id = d.flowchart_id)::int AS fc_n
         FROM executor_dispatches d WHERE d.id = $1`, [id]);
      const row = r.rows[0] as { state: string; all_n: number; fc_n: number } | undefined;
      let out: { payload: P } | 'limited' | null = null;
      if (row?.state === 'submitted') {
        if ((maxAll > 0 && row.all_n >= maxAll) || (maxPerFlowchart > 0 && row.fc_n >= maxPerFlowchart)) out = 'limited';
        else {
          const u = await c.query(`UPDATE executor_dispatches SET state = 'confirmed', worker_id = $2, confirmed_at = clock_timestamp() WHERE id = $1 AND state = 'submitted' RETURNING payload`, [id, workerId]);
          out = (u.rows[0] as { payload: P } | undefined) ?? null;
        }
      }
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  /**
   * confirmed → finished | failed, written by the executor that holds it, with a notification to the owner. False
   * when the attempt was superseded or aborted meanwhile: the late result is then recorded as a warning and ignored.
   */
  async finish(id: string, workerId: string | null, outcome: { result: R } | { error: ErrorInfo }): Promise<boolean> {
    const ok = 'result' in outcome;
    const r = await this.pool.query(
      `WITH u AS (
         UPDATE executor_dispatches SET state = $3, result = $4, error = $5, finished_at = clock_timestamp()
         WHERE id = $1 AND state = 'confirmed' AND worker_id IS NOT DISTINCT FROM $2 RETURNING id
       ) SELECT pg_notify('${DISPATCH_CHANNELS.results}', id) FROM u`,
      [id, workerId, ok ? 'finished' : 'failed', ok ? JSON.stringify(outcome.result) : null, ok ? null : JSON.stringify(outcome.error)]);
    if (r.rowCount === 1) return true;
    await this.annotate(id, { warning: { code: 'late_result_ignored', message: `a result of superseded attempt ${id} arrived late and was ignored` } });
    return false;
  }

  /** Fails a live dispatch (abort, dispatch error) and tells whoever executes it to stop. False when already final. */
  async fail(id: string, error: ErrorInfo, fromStates: DispatchState[] = ['pending', 'submitted', 'confirmed']): Promise<boolean> {
    const r = await this.pool.query(
      `WITH u AS (
         UPDATE executor_dispatches SET state = 'failed', error = $2, finished_at = now()
         WHERE id = $1 AND state = ANY($3::text[]) RETURNING id
       ) SELECT pg_notify('${DISPATCH_CHANNELS.abort}', id) FROM u`, [id, JSON.stringify(error), fromStates]);
    return r.rowCount === 1;
  }

  /** Hands a confirmed dispatch back to the queue (a draining worker that ran out of time). */
  async handBack(id: string, workerId: string): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE executor_dispatches SET state = 'submitted', worker_id = NULL, confirmed_at = NULL WHERE id = $1 AND state = 'confirmed' AND worker_id = $2 RETURNING id`,
      [id, workerId]);
    return r.rowCount === 1;
  }

  /**
   * Fails the given confirmed dispatches whose worker stopped heartbeating (or is gone) with `worker_lost`; returns
   * their ids.
   */
  async failLost(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const r = await this.pool.query(
      `UPDATE executor_dispatches d SET state = 'failed', finished_at = now(),
         error = jsonb_build_object('code', 'worker_lost', 'message', 'the worker executing this attempt stopped heartbeating',
           'details', jsonb_build_object('worker_id', d.worker_id), 'retryable', true)
       WHERE d.id = ANY($1::text[]) AND d.state = 'confirmed' AND d.backend = 'queue' AND NOT EXISTS (
         SELECT 1 FROM executor_workers w WHERE w.id = d.worker_id AND w.heartbeat_at >= now() - make_interval(secs => w.heartbeat_timeout_s))
       RETURNING d.id`, [ids]);
    return r.rows.map((x: { id: string }) => x.id);
  }

  /**
   * Fails the still-pending rows of attempts that ran inline (the executor setting changed while they started: their
   * commit wrote a row that nothing else will ever execute) with `interrupted`, reason `ran_inline`.
   */
  async failRanInline(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query(
      `UPDATE executor_dispatches SET state = 'failed', finished_at = now(),
         error = jsonb_build_object('code', 'interrupted', 'message', 'the attempt ran inline: the executor setting changed while it started',
           'details', jsonb_build_object('reason', 'ran_inline'), 'retryable', true)
       WHERE id = ANY($1::text[]) AND state = 'pending'`, [ids]);
  }
}
