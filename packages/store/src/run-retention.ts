import type pg from 'pg';
import { sql, type Expression, type SqlBool } from 'kysely';
import { ACTIVE_RUN_STATUSES, LlmctlError } from '@llmctl/contracts';
import { anyText, kyselyOf, type StoreDb } from './db/kysely.ts';

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
    await kyselyOf(this.pool).transaction().execute(async (trx) => {
      const row = await trx.selectFrom('runs').select('status').where('id', '=', runId).forUpdate().executeTakeFirst();
      if (!row) throw new LlmctlError('not_found', `No run with id ${runId}.`, { run_id: runId });
      if (ACTIVE.includes(row.status)) {
        throw new LlmctlError('conflict', `Run ${runId} is ${row.status}; cancel it (or wait for it to finish) before deleting it.`, { run_id: runId, status: row.status });
      }
      await this.deleteIds(trx, [runId]);
    });
  }

  /**
   * Deletes up to `batchSize` finished runs that `policy` no longer keeps (only of `flowchartId` when given; runs of
   * flowcharts listed in `exclude` are left to their own policy).
   */
  async pruneBatch(policy: RetentionPolicy, opts: { flowchartId?: string; exclude?: readonly string[]; batchSize?: number } = {}): Promise<PruneResult> {
    if (retentionIsOff(policy)) return { deleted: [], more: false };
    const limit = Math.max(1, Math.min(opts.batchSize ?? 500, 10_000));
    return kyselyOf(this.pool).transaction().execute(async (trx) => {
      const rows = await trx
        .with('ranked', (db) => db.selectFrom('runs')
          .select((eb) => ['id', 'finished_at',
            eb.fn.agg<number>('row_number').over((ob) => ob.partitionBy('flowchart_id').orderBy('created_at', 'desc').orderBy('id', 'desc')).as('rn')])
          .where((eb) => eb.and([
            ...(opts.flowchartId === undefined ? [] : [eb('flowchart_id', '=', opts.flowchartId)]),
            eb.not(eb('flowchart_id', '=', anyText(opts.exclude ?? []))),
          ])))
        .selectFrom('runs as r').innerJoin('ranked as k', 'k.id', 'r.id').select('r.id')
        .where('r.finished_at', 'is not', null).where((eb) => eb.not(eb('r.status', '=', anyText(ACTIVE))))
        .where((eb) => {
          // Due when it breaks any rule that is set (retentionIsOff above: at least one is).
          const due: Expression<SqlBool>[] = [];
          if (policy.keep_finished_days > 0) due.push(eb('r.finished_at', '<', sql<string>`now() - make_interval(days => ${policy.keep_finished_days}::int)`));
          if (policy.keep_last_runs > 0) due.push(eb('k.rn', '>', policy.keep_last_runs));
          return eb.or(due);
        })
        .orderBy('r.finished_at').limit(limit + 1).forUpdate('r').skipLocked().execute();
      const ids = rows.map((x) => x.id);
      const batch = ids.slice(0, limit);
      if (batch.length > 0) await this.deleteIds(trx, batch);
      return { deleted: batch, more: ids.length > limit };
    });
  }

  private async deleteIds(trx: StoreDb, ids: string[]): Promise<void> {
    await trx.deleteFrom('tool_audit').where('run_id', '=', anyText(ids)).execute();
    await trx.deleteFrom('runs').where('id', '=', anyText(ids)).execute();
  }
}
