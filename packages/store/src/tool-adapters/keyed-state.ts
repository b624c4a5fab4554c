import type pg from 'pg';
import { withTransaction } from '../pool.ts';

/** Which table a keyed read-modify-write works on. */
export interface KeyedTable {
  table: 'plans' | 'milestones';
  keyColumn: 'plan_key' | 'milestone_key';
  /** Columns besides run_id and the key, with the placeholder values of a row that does not exist yet. */
  placeholder: Record<string, unknown>;
  columns: string;
}

/**
 * Atomic read-modify-write of one (run_id, key) row. In one transaction: insert a placeholder row (ON CONFLICT DO
 * NOTHING); when that inserted, the current value is null, else the existing row is read `FOR UPDATE`. `mutate`'s
 * result is written with a fresh `seq` and `updated_at`; a throwing `mutate` rolls everything back (placeholder
 * included). Concurrent updates of one row are serialised by the row lock, so no write is lost.
 */
export async function updateKeyed<R>(
  pool: pg.Pool,
  t: KeyedTable,
  run_id: string,
  key: string,
  current: (row: Record<string, unknown>) => R,
  mutate: (current: R | null) => Record<string, unknown>,
): Promise<Record<string, unknown>> {
  return withTransaction(pool, async (client) => {
    const names = Object.keys(t.placeholder);
    const inserted = await client.query(
      `INSERT INTO ${t.table} (run_id, ${t.keyColumn}, ${names.join(', ')}) VALUES ($1, $2, ${names.map((_, i) => `$${i + 3}`).join(', ')})
       ON CONFLICT (run_id, ${t.keyColumn}) DO NOTHING RETURNING run_id`,
      [run_id, key, ...names.map((n) => t.placeholder[n])],
    );
    let value: R | null = null;
    if (inserted.rowCount === 0) {
      const r = await client.query(`SELECT ${t.columns} FROM ${t.table} WHERE run_id = $1 AND ${t.keyColumn} = $2 FOR UPDATE`, [run_id, key]);
      if (!r.rows[0]) throw new Error(`${t.table} row (${run_id}, ${key}) vanished during an update`);
      value = current(r.rows[0]);
    }
    const draft = mutate(value);
    const set = Object.keys(draft);
    const r = await client.query(
      `UPDATE ${t.table} SET ${set.map((c, i) => `${c} = $${i + 3}`).join(', ')}, updated_at = clock_timestamp(), seq = nextval('special_state_seq')
       WHERE run_id = $1 AND ${t.keyColumn} = $2 RETURNING ${t.columns}`,
      [run_id, key, ...set.map((c) => draft[c])],
    );
    return r.rows[0] as Record<string, unknown>;
  });
}
