import { sql } from 'kysely';
import type { Queryable } from './pool.ts';
import { kyselyOf } from './db/kysely.ts';

/**
 * Run statuses that are not final (the partial index `runs_active_idx` covers exactly these), written as literals so
 * the planner matches the partial index as it did with the hand-written list.
 */
const ACTIVE = ['queued', 'running', 'pausing', 'paused', 'canceling'].map((s) => sql.lit(s));
const QUEUED_OR_RUNNING = ['queued', 'running'].map((s) => sql.lit(s));

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
  const db = kyselyOf(pool);
  const runs = await db.selectFrom('runs').select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ACTIVE).groupBy('status').execute();
  const q = await db.selectFrom('node_runs').select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('status', 'in', QUEUED_OR_RUNNING).groupBy('status').execute();
  // A system catalog (not in the generated types): typed by hand.
  const e = await sql<{ n: number }>`SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'runs'::regclass`.execute(db);
  const nodeRuns = { queued: 0, running: 0 };
  for (const row of q) nodeRuns[row.status === 'queued' ? 'queued' : 'running'] = row.n;
  return { runs, nodeRuns, storedRunsEstimate: Math.round(Number(e.rows[0]?.n ?? -1)) };
}
