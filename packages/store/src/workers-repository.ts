/**
 * Queue workers (`executor_workers`), queue figures and the pg-boss helpers of the executors: the SQL the
 * executors need, kept in this package (the persistence boundary).
 */
import type pg from 'pg';
import { DISPATCH_CHANNELS } from './dispatch-repository.ts';
import { notify } from './notify.ts';

/** The schema pg-boss keeps its tables in (inside the run database). */
export const BOSS_SCHEMA = 'pgboss';

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

/** A worker registering itself. */
export interface WorkerRegistration {
  id: string;
  name: string;
  host: string;
  pid: number;
  classes: string[];
  concurrency: number;
  heartbeat_timeout_s: number;
}

/** Workers seen in the last hour: live, draining, or lost (heartbeat older than their timeout). */
export async function listWorkers(pool: pg.Pool): Promise<WorkerView[]> {
  const r = await pool.query(
    `SELECT id, name, host, pid, classes, concurrency, active, started_at, heartbeat_at,
       CASE WHEN heartbeat_at < now() - make_interval(secs => heartbeat_timeout_s) THEN 'lost' ELSE status END AS status
     FROM executor_workers WHERE heartbeat_at > now() - interval '1 hour' ORDER BY started_at, id`);
  return r.rows as WorkerView[];
}

/** Queue depth, attempts on workers, and live workers (partial index on live dispatches). */
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

/** The `db` option of pg-boss: its SQL runs on our pool. */
export function bossDatabase(pool: pg.Pool): { executeSql: (text: string, values: unknown[]) => Promise<pg.QueryResult> } {
  return { executeSql: (text, values) => pool.query(text, values) };
}

/** Runs `fn` while holding the session advisory lock `key` (serialises it across processes). */
export async function withAdvisoryLock<T>(pool: pg.Pool, key: string, fn: () => Promise<T>): Promise<T> {
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    return await fn();
  } finally {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
    lock.release();
  }
}

/** The rows of the queue workers and the queue limits they read. */
export class WorkersRepository {
  constructor(private readonly pool: pg.Pool) {}

  async register(w: WorkerRegistration): Promise<void> {
    await this.pool.query(
      `INSERT INTO executor_workers (id, name, host, pid, classes, concurrency, heartbeat_timeout_s) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [w.id, w.name, w.host, w.pid, w.classes, w.concurrency, w.heartbeat_timeout_s]);
  }

  async heartbeat(id: string, active: number, status: 'live' | 'draining'): Promise<void> {
    await this.pool.query(`UPDATE executor_workers SET heartbeat_at = now(), active = $2, status = $3 WHERE id = $1`, [id, active, status]);
  }

  async remove(id: string): Promise<void> {
    await this.pool.query(`DELETE FROM executor_workers WHERE id = $1`, [id]);
  }

  /** Queue concurrency limits of the runtime settings (0 = none; defaults when unset). */
  async queueLimits(): Promise<{ all: number; perFlowchart: number }> {
    const r = await this.pool.query(`SELECT settings->'queue' AS q FROM runtime_settings WHERE id = 1`);
    const q = ((r.rows[0] as { q?: Record<string, unknown> } | undefined)?.q ?? {}) as Record<string, unknown>;
    return { all: Number(q.max_concurrent_attempts) || 0, perFlowchart: Number(q.max_concurrent_attempts_per_flowchart) || 0 };
  }

  /** Wakes the workers of a class queue (new or handed-back jobs). */
  async wakeWorkers(queueOrClass: string): Promise<void> {
    await notify(this.pool, DISPATCH_CHANNELS.jobs, queueOrClass);
  }
}
