/**
 * Queue workers (`executor_workers`), queue figures and the pg-boss helpers of the executors: the SQL the
 * executors need, kept in this package (the persistence boundary).
 */
import type pg from 'pg';
import { sql } from 'kysely';
import { DISPATCH_CHANNELS } from './dispatch-repository.ts';
import { notify } from './notify.ts';
import { kyselyOf } from './db/kysely.ts';

/** A worker's heartbeat is older than its own timeout. */
const HEARTBEAT_DUE = sql<string>`now() - make_interval(secs => heartbeat_timeout_s)`;

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
  return kyselyOf(pool).selectFrom('executor_workers')
    .select(['id', 'name', 'host', 'pid', 'classes', 'concurrency', 'active', 'started_at', 'heartbeat_at',
      sql<WorkerView['status']>`CASE WHEN heartbeat_at < ${HEARTBEAT_DUE} THEN 'lost' ELSE status END`.as('status')])
    .where('heartbeat_at', '>', sql<string>`now() - interval '1 hour'`).orderBy('started_at').orderBy('id').execute();
}

/** Queue depth, attempts on workers, and live workers (partial index on live dispatches). */
export async function queueStats(pool: pg.Pool): Promise<QueueStats> {
  // States as literals: the partial index `executor_dispatches_live_idx` is matched as with the hand-written SQL.
  return kyselyOf(pool).selectNoFrom((eb) => [
    eb.selectFrom('executor_dispatches').select(eb.fn.countAll<number>().as('n'))
      .where('state', '=', sql.lit('submitted')).where('backend', '=', sql.lit('queue')).$asScalar().as('depth'),
    eb.selectFrom('executor_dispatches').select(eb.fn.countAll<number>().as('n'))
      .where('state', '=', sql.lit('confirmed')).where('backend', '=', sql.lit('queue')).$asScalar().as('active'),
    eb.selectFrom('executor_workers').select(eb.fn.countAll<number>().as('n')).where('heartbeat_at', '>=', HEARTBEAT_DUE).$asScalar().as('live_workers'),
  ]).executeTakeFirstOrThrow();
}

/** True once pg-boss created its schema (a queue was used at least once). */
export async function bossReady(pool: pg.Pool): Promise<boolean> {
  // A system catalog (not in the generated types): typed by hand.
  const r = await sql<{ one: number }>`SELECT 1 AS one FROM pg_namespace WHERE nspname = ${BOSS_SCHEMA}`.execute(kyselyOf(pool));
  return r.rows.length === 1;
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
    await kyselyOf(this.pool).insertInto('executor_workers').values({
      id: w.id, name: w.name, host: w.host, pid: w.pid, classes: w.classes, concurrency: w.concurrency, heartbeat_timeout_s: w.heartbeat_timeout_s,
    }).execute();
  }

  async heartbeat(id: string, active: number, status: 'live' | 'draining'): Promise<void> {
    await kyselyOf(this.pool).updateTable('executor_workers').set({ heartbeat_at: sql<string>`now()`, active, status }).where('id', '=', id).execute();
  }

  async remove(id: string): Promise<void> {
    await kyselyOf(this.pool).deleteFrom('executor_workers').where('id', '=', id).execute();
  }

  /** Queue concurrency limits of the runtime settings (0 = none; defaults when unset). */
  async queueLimits(): Promise<{ all: number; perFlowchart: number }> {
    const row = await kyselyOf(this.pool).selectFrom('runtime_settings').select(sql<Record<string, unknown> | null>`settings->'queue'`.as('q'))
      .where('id', '=', 1).executeTakeFirst();
    const q = row?.q ?? {};
    return { all: Number(q.max_concurrent_attempts) || 0, perFlowchart: Number(q.max_concurrent_attempts_per_flowchart) || 0 };
  }

  /** Wakes the workers of a class queue (new or handed-back jobs). */
  async wakeWorkers(queueOrClass: string): Promise<void> {
    await notify(this.pool, DISPATCH_CHANNELS.jobs, queueOrClass);
  }
}
