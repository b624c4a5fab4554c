import type pg from 'pg';
import { ACTIVE_RUN_STATUSES, LlmctlError } from '@llmctl/contracts';
import { withTransaction } from './pool.ts';

/**
 * How long finished runs are kept. `0` means "no limit" for either rule; a finished run is deleted when it breaks
 * any rule that is set (older than `keep_finished_days`, or not among the newest `keep_last_runs` of its flowchart).
 */
export interface RetentionPolicy {
  keep_finished_days: number;
  keep_last_runs: number;
}

/** A policy for one flowchart, overriding the global one. */
export interface FlowchartRetentionPolicy extends RetentionPolicy {
  flowchart_id: string;
}

/** What one prune pass did. */
export interface PruneResult {
  /** Ids of the deleted runs (their workspaces are the caller's to remove). */
  deleted: string[];
  /** True when the pass stopped at its batch limit and more runs may be due. */
  more: boolean;
}

const ACTIVE = ACTIVE_RUN_STATUSES as readonly string[];

/** True when the policy deletes nothing. */
export function retentionIsOff(p: RetentionPolicy): boolean {
  return p.keep_finished_days <= 0 && p.keep_last_runs <= 0;
}

/**
 * Deletes finished runs with everything they own: events, snapshots, node runs, model and tool calls and artifacts
 * go with the run row (foreign keys `ON DELETE CASCADE`), tool audit records by their `run_id`. Each batch is its
 * own short transaction and takes rows with `FOR UPDATE SKIP LOCKED`, so live commits are never blocked for longer
 * than one batch, and a run that is being written is simply left for the next pass.
 */
export class RunRetention {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Deletes one finished run. Unknown id → `not_found`; an active run → `conflict` (cancel it first).
   */
  async deleteRun(runId: string): Promise<void> {
    await withTransaction(this.pool, async (c) => {
      const r = await c.query<{ status: string }>('SELECT status FROM runs WHERE id = $1 FOR UPDATE', [runId]);
      const row = r.rows[0];
      if (!row) throw new LlmctlError('not_found', `No run with id ${runId}.`, { run_id: runId });
      if (ACTIVE.includes(row.status)) {
        throw new LlmctlError('conflict', `Run ${runId} is ${row.status}; cancel it (or wait for it to finish) before deleting it.`, { run_id: runId, status: row.status });
      }
      await this.deleteIds(c, [runId]);
    });
  }

  /**
   * Deletes up to `batchSize` finished runs that `policy` no longer keeps (only of `flowchartId` when given; runs of
   * flowcharts listed in `exclude` are left to their own policy).
   */
  async pruneBatch(policy: RetentionPolicy, opts: { flowchartId?: string; exclude?: readonly string[]; batchSize?: number } = {}): Promise<PruneResult> {
    if (retentionIsOff(policy)) return { deleted: [], more: false };
    const limit = Math.max(1, Math.min(opts.batchSize ?? 500, 10_000));
    return withTransaction(this.pool, async (c) => {
      const r = await c.query<{ id: string }>(
        `WITH ranked AS (
           SELECT id, finished_at,
                  row_number() OVER (PARTITION BY flowchart_id ORDER BY created_at DESC, id DESC) AS rn
             FROM runs
            WHERE ($3::text IS NULL OR flowchart_id = $3)
              AND NOT (flowchart_id = ANY($4::text[]))
         )
         SELECT r.id FROM runs r JOIN ranked k ON k.id = r.id
          WHERE r.finished_at IS NOT NULL AND NOT (r.status = ANY($5::text[]))
            AND (($1::int > 0 AND r.finished_at < now() - make_interval(days => $1::int))
              OR ($2::int > 0 AND k.rn > $2::int))
          ORDER BY r.finished_at
          LIMIT $6
          FOR UPDATE OF r SKIP LOCKED`,
        [policy.keep_finished_days, policy.keep_last_runs, opts.flowchartId ?? null, [...(opts.exclude ?? [])], [...ACTIVE], limit + 1]);
      const ids = r.rows.map((x) => x.id);
      const batch = ids.slice(0, limit);
      if (batch.length > 0) await this.deleteIds(c, batch);
      return { deleted: batch, more: ids.length > limit };
    });
  }

  private async deleteIds(c: pg.PoolClient, ids: string[]): Promise<void> {
    await c.query('DELETE FROM tool_audit WHERE run_id = ANY($1::text[])', [ids]);
    await c.query('DELETE FROM runs WHERE id = ANY($1::text[])', [ids]);
  }
}
