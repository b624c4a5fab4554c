import type pg from 'pg';
import { BOSS_SCHEMA } from './boss.ts';

/** A queue worker as `GET /api/workers` lists it. */
export interface WorkerView {
  id: string;
  name: string;
  host: string;
  pid: number;
  classes: string[];
  concurrency: number;
  active: number;
  started_at: string;
  heartbeat_at: string;
  status: 'live' | 'draining' | 'lost';
}

/** Queue figures for `/api/health` and `/metrics`. */
export interface QueueStats {
  /** Attempts waiting for a worker (dispatch `submitted`). */
  depth: number;
  /** Attempts running on workers (dispatch `confirmed`). */
  active: number;
  live_workers: number;
}

/** Workers seen in the last hour: live, draining, or lost (heartbeat older than their timeout). */
export async function listWorkers(pool: pg.Pool): Promise<WorkerView[]> {
  const r = await pool.query(
    `SELECT id, name, host, pid, classes, concurrency, active, started_at, heartbeat_at,
       CASE WHEN heartbeat_at < now() - make_interval(secs => heartbeat_timeout_s) THEN 'lost' ELSE status END AS status
     FROM executor_workers WHERE heartbeat_at > now() - interval '1 hour' ORDER BY started_at, id`);
  return r.rows as WorkerView[];
}

/** Queue depth, attempts on workers, and live workers. */
export async function queueStats(pool: pg.Pool): Promise<QueueStats> {
  const r = await pool.query(
    `SELECT (SELECT count(*) FROM executor_dispatches WHERE state = 'submitted' AND backend = 'queue')::int AS depth,
       (SELECT count(*) FROM executor_dispatches WHERE state = 'confirmed' AND backend = 'queue')::int AS active,
       (SELECT count(*) FROM executor_workers WHERE heartbeat_at >= now() - make_interval(secs => heartbeat_timeout_s))::int AS live_workers`);
  return r.rows[0] as QueueStats;
}

/** True once pg-boss created its schema (a queue was used at least once). */
export async function bossReady(pool: pg.Pool): Promise<boolean> {
  const r = await pool.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [BOSS_SCHEMA]);
  return r.rowCount === 1;
}
