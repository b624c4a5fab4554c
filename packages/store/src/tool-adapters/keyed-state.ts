import type pg from 'pg';
import { sql } from 'kysely';
import { kyselyOf } from '../db/kysely.ts';
import type { Milestones, Plans } from '../db/schema.ts';

/** Which table a keyed read-modify-write works on. */
export type KeyedTable = {
  table: 'plans';
  keyColumn: 'plan_key';
  /** Columns besides run_id and the key, with the placeholder values of a row that does not exist yet. */
  placeholder: Partial<Record<keyof Plans, unknown>>;
  columns: readonly (keyof Plans)[];
} | {
  table: 'milestones';
  keyColumn: 'milestone_key';
  placeholder: Partial<Record<keyof Milestones, unknown>>;
  columns: readonly (keyof Milestones)[];
};

/**
 * Atomic read-modify-write of one (run_id, key) row. In one transaction: insert a placeholder row (ON CONFLICT DO
 * NOTHING); when that inserted, the current value is null, else the existing row is read `FOR UPDATE`. `mutate`'s
 * result is written with a fresh `seq` and `updated_at`; a throwing `mutate` rolls everything back (placeholder
 * included). Concurrent updates of one row are serialised by the row lock, so no write is lost. The statements are
 * Kysely `sql` templates over the table's identifiers (one code path for both tables; column names typed by the
 * generated types).
 */
export async function updateKeyed<R>(
  pool: pg.Pool,
  t: KeyedTable,
  run_id: string,
  key: string,
  current: (row: Record<string, unknown>) => R,
  mutate: (current: R | null) => Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const table = sql.table(t.table);
  const keyColumn = sql.ref(t.keyColumn);
  const columns = sql.join(t.columns.map((c) => sql.ref(c)));
  return kyselyOf(pool).transaction().execute(async (trx) => {
    const names = Object.keys(t.placeholder) as (keyof typeof t.placeholder)[];
    const inserted = await sql<{ run_id: string }>`INSERT INTO ${table} (run_id, ${keyColumn}, ${sql.join(names.map((n) => sql.ref(n)))})
       VALUES (${run_id}, ${key}, ${sql.join(names.map((n) => t.placeholder[n]))})
       ON CONFLICT (run_id, ${keyColumn}) DO NOTHING RETURNING run_id`.execute(trx);
    let value: R | null = null;
    if (inserted.rows.length === 0) {
      const r = await sql<Record<string, unknown>>`SELECT ${columns} FROM ${table} WHERE run_id = ${run_id} AND ${keyColumn} = ${key} FOR UPDATE`.execute(trx);
      if (!r.rows[0]) throw new Error(`${t.table} row (${run_id}, ${key}) vanished during an update`);
      value = current(r.rows[0]);
    }
    const draft = mutate(value);
    const set = sql.join(Object.keys(draft).map((c) => sql`${sql.ref(c)} = ${draft[c]}`));
    const r = await sql<Record<string, unknown>>`UPDATE ${table} SET ${set}, updated_at = clock_timestamp(), seq = nextval('special_state_seq')
       WHERE run_id = ${run_id} AND ${keyColumn} = ${key} RETURNING ${columns}`.execute(trx);
    return r.rows[0]!;
  });
}
