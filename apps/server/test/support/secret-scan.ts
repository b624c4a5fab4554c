/**
 * Helpers of the secret-leak tests: dump every database table as text, and assert that no planted secret (nor a long
 * enough fragment of it) appears in a text.
 */
import type pg from 'pg';

/** Every row of every table outside the system schemas, as `schema.table: <row as text>` lines. */
export async function dumpAllTables(pool: pg.Pool): Promise<string> {
  const tables = await pool.query<{ s: string; t: string }>(
    `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`);
  const out: string[] = [];
  for (const { s, t } of tables.rows) {
    const rows = await pool.query<{ row: string }>(`SELECT x::text AS row FROM ${JSON.stringify(s)}.${JSON.stringify(t)} x`);
    for (const r of rows.rows) out.push(`${s}.${t}: ${r.row}`);
  }
  return out.join('\n');
}

/** The distinctive middle of a secret: what must never appear (masks keep only a few characters of the ends). */
export function coreOf(secret: string): string {
  const bare = secret.replace(/^\S+\s+/, '');
  return bare.slice(4, -5);
}

/** Throws naming `where` and the context when `text` contains the core of a secret. */
export function assertNoSecret(where: string, text: string, secrets: readonly string[]): void {
  for (const s of secrets) {
    const core = coreOf(s);
    const i = text.indexOf(core);
    if (i >= 0) throw new Error(`${where} contains a planted secret (${core}): …${text.slice(Math.max(0, i - 160), i + core.length + 40)}…`);
  }
}
