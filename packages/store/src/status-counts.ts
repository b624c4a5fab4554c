import type { Queryable } from './pool.ts';

/** Counts behind the server's gauges, true across processes because they are read from the database. */
export interface StatusCounts {
  /** Runs by status (statuses with no run are absent). */
  runs: { status: string; n: number }[];
  /** Node runs that are queued or running. */
  nodeRuns: { queued: number; running: number };
}

/** Reads runs by status and the queued / running node runs (at metrics scrape time). */
export async function readStatusCounts(pool: Queryable): Promise<StatusCounts> {
  const r = await pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM runs GROUP BY status');
  const q = await pool.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM node_runs WHERE status IN ('queued','running') GROUP BY status`);
  const nodeRuns = { queued: 0, running: 0 };
  for (const row of q.rows) nodeRuns[row.status === 'queued' ? 'queued' : 'running'] = row.n;
  return { runs: r.rows, nodeRuns };
}
