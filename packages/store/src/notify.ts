import type { Queryable } from './pool.ts';

/** Sends a PostgreSQL notification (`pg_notify`) on `channel`; `payload` must stay under 8000 bytes. */
export async function notify(pool: Queryable, channel: string, payload: string): Promise<void> {
  await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
}

/**
 * Connections to this database whose `application_name` is `applicationName` (e.g. the LISTEN connections of the
 * server processes, `llmctl-realtime`): how a process learns whether any other listens for what it would notify.
 */
export async function countListeners(pool: Queryable, applicationName: string): Promise<number> {
  const r = await pool.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1', [applicationName]);
  return (r.rows[0] as { n: number } | undefined)?.n ?? 0;
}
