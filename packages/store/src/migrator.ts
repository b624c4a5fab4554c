import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { LlmctlError } from '@llmctl/contracts';

/**
 * Where the store's SQL migrations live (`NNNN_name.sql`, applied in name order): `packages/store/migrations` when
 * running from source, `assets/migrations` beside the bundle when running the compiled CLI (`scripts/build.mjs`).
 */
export const MIGRATIONS_DIR = [new URL('./assets/migrations/', import.meta.url), new URL('../migrations/', import.meta.url)]
  .map((u) => fileURLToPath(u)).find((d) => existsSync(d)) ?? fileURLToPath(new URL('../migrations/', import.meta.url));

/** Advisory lock key shared by every llmctl process migrating a database ("llmctl:m" as int). */
const MIGRATION_LOCK_KEY = 0x6c6c6d74;

/** One migration file. */
export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** Result of {@link migrate}. */
export interface MigrationResult {
  /** Files applied by this call, in order. */
  applied: string[];
  /** Every file recorded as applied after this call. */
  total: number;
}

/** Applied and pending migrations of a database (see {@link migrationStatus}). */
export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

/** Reads the migration files of `dir` in name order. */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  return Promise.all(names.map(async (name) => {
    const sql = await readFile(join(dir, name), 'utf8');
    return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  }));
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  name        text PRIMARY KEY,
  checksum    text NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Refuses to go on when a migration recorded as applied has changed on disk since (`migration_checksum_mismatch`):
 * the database was built by other SQL than this release ships, and applying more on top would be a guess.
 */
function assertChecksums(files: readonly MigrationFile[], recorded: readonly { name: string; checksum: string }[]): void {
  const byName = new Map(files.map((f) => [f.name, f.checksum]));
  const changed = recorded.filter((r) => byName.has(r.name) && byName.get(r.name) !== r.checksum).map((r) => r.name).sort();
  if (changed.length > 0) {
    throw new LlmctlError('migration_checksum_mismatch',
      `Applied migration${changed.length > 1 ? 's' : ''} ${changed.join(', ')} changed since ${changed.length > 1 ? 'they were' : 'it was'} applied; refusing to start. Restore the released file${changed.length > 1 ? 's' : ''} (never edit an applied migration: add a new one).`,
      { migrations: changed });
  }
}

/**
 * Applies the pending migrations of `dir` to the database of `pool`: each file in its own transaction, recorded in
 * `schema_migrations`, all under a PostgreSQL advisory lock so that several processes may start at once (the others
 * wait, then find nothing left to do). A failing file is rolled back and reported as `migration_failed`; an applied
 * file that changed since is `migration_checksum_mismatch` (checked before anything is applied).
 */
export async function migrate(pool: pg.Pool, dir: string = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = await readMigrations(dir);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(CREATE_TABLE);
      const recorded = (await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations')).rows;
      assertChecksums(files, recorded);
      const done = new Set(recorded.map((r) => r.name));
      for (const file of files) {
        if (done.has(file.name)) continue;
        try {
          await client.query('BEGIN');
          await client.query(file.sql);
          await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [file.name, file.checksum]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          const e = err as { message?: string; code?: string; position?: string };
          throw new LlmctlError('migration_failed', `Migration ${file.name} failed: ${e.message ?? String(err)}`, {
            migration: file.name, pg_code: e.code ?? null, position: e.position ?? null,
          });
        }
        applied.push(file.name);
      }
      return { applied, total: done.size + applied.length };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}

/** Which migration files are applied and which are pending (nothing is changed). */
export async function migrationStatus(pool: Pick<pg.Pool, 'query'>, dir: string = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const files = await readMigrations(dir);
  const exists = await pool.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  const applied = exists.rows[0]?.t
    ? (await pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name)
    : [];
  const set = new Set(applied);
  return { applied, pending: files.map((f) => f.name).filter((n) => !set.has(n)) };
}
