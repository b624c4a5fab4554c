import type { Queryable } from './pool.ts';

/** Sends a PostgreSQL notification (`pg_notify`) on `channel`; `payload` must stay under 8000 bytes. */
export async function notify(pool: Queryable, channel: string, payload: string): Promise<void> {
  await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
}
