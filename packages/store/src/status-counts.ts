import type { Queryable } from './pool.ts';

/** Run statuses that are not final (the partial index `runs_active_idx` covers exactly these). */
const ACTIVE = `('queued','running','pausing','paused','canceling')`;

/**
 * Figures behind the server's gauges, read at scrape time without scanning the history: every query is bounded by
 * a partial index over live rows (active runs, queued / running node runs), plus the planner's row estimate.
 * Finished runs are counted by the server's counters as they finish, not by counting rows.
 */
export interface StatusCounts {
  /** Active runs by status (statuses with no run are absent). */
  runs: { status: string; n: number }[];
  /** Node runs that are queued or running. */
  nodeRuns: { queued: number; running: number };
  /** The planner's estimate of all stored runs (`pg_class.reltuples`; -1 before the first ANALYZE). */
  storedRunsEstimate: number;
}

/** Reads the active runs by status, the queued / running node runs and the estimated number of stored runs. */
export async function readStatusCounts(pool: Queryable): Promise<StatusCounts> {
  const r = await pool.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM runs WHERE status IN ${ACTIVE} GROUP BY status`);
  const q = await pool.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM node_runs WHERE status IN ('queued','running') GROUP BY status`);
  const e = await pool.query<{ n: number }>(`SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'runs'::regclass`);
  const nodeRuns = { queued: 0, running: 0 };
  for (const row of q.rows) nodeRuns[row.status === 'queued' ? 'queued' : 'running'] = row.n;
  return { runs: r.rows, nodeRuns, storedRunsEstimate: Math.round(Number(e.rows[0]?.n ?? -1)) };
}
