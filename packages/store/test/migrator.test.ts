import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmctlError } from '@llmctl/contracts';
import { createPool, migrate, migrationStatus, readMigrations } from '@llmctl/store';
import { openTestPool } from './support/test-pool.ts';

test('migrate applies every migration file once and records it in schema_migrations', async () => {
  const db = await openTestPool({ migrated: false });
  try {
    const files = (await readMigrations()).map((f) => f.name);
    const first = await migrate(db.pool);
    assert.deepEqual(first.applied, files);
    const rows = await db.pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    assert.deepEqual(rows.rows.map((r) => r.name), files);
    assert.deepEqual(await migrationStatus(db.pool), { applied: files, pending: [] });
  } finally {
    await db.close();
  }
});

test('migrate is idempotent: a second run applies nothing', async () => {
  const db = await openTestPool({ migrated: false });
  try {
    await migrate(db.pool);
    const second = await migrate(db.pool);
    assert.deepEqual(second.applied, []);
    assert.equal(second.total, (await readMigrations()).length);
  } finally {
    await db.close();
  }
});

test('two processes migrating the same database at once apply each file exactly once', async () => {
  const db = await openTestPool({ migrated: false });
  const other = createPool(db.url, { max: 2 });
  try {
    const [a, b] = await Promise.all([migrate(db.pool), migrate(other)]);
    const files = (await readMigrations()).map((f) => f.name);
    assert.deepEqual([...a.applied, ...b.applied].sort(), files);
    const n = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    assert.equal(n.rows[0]?.n, files.length);
  } finally {
    await other.end();
    await db.close();
  }
});

test('migrationStatus lists pending files of an unmigrated database', async () => {
  const db = await openTestPool({ migrated: false });
  try {
    const status = await migrationStatus(db.pool);
    assert.deepEqual(status.applied, []);
    assert.deepEqual(status.pending, (await readMigrations()).map((f) => f.name));
  } finally {
    await db.close();
  }
});

test('a failing migration is rolled back, reported as migration_failed, and earlier files stay applied', async () => {
  const db = await openTestPool({ migrated: false });
  const dir = await mkdtemp(join(tmpdir(), 'llmctl-migrations-'));
  try {
    await writeFile(join(dir, '0001_ok.sql'), 'CREATE TABLE good_one (id int);');
    await writeFile(join(dir, '0002_broken.sql'), 'CREATE TABLE half_done (id int);\nSELEC oops;');
    await assert.rejects(migrate(db.pool, dir), (err: unknown) => {
      assert.ok(err instanceof LlmctlError);
      assert.equal(err.code, 'migration_failed');
      assert.equal(err.details.migration, '0002_broken.sql');
      return true;
    });
    const tables = await db.pool.query<{ t: string | null; h: string | null }>(
      "SELECT to_regclass('good_one')::text AS t, to_regclass('half_done')::text AS h");
    assert.equal(tables.rows[0]?.t, 'good_one');
    assert.equal(tables.rows[0]?.h, null);
    assert.deepEqual((await migrationStatus(db.pool, dir)).pending, ['0002_broken.sql']);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await db.close();
  }
});

test('an applied migration whose file changed refuses to migrate (migration_checksum_mismatch) and changes nothing', async () => {
  const db = await openTestPool({ migrated: false });
  const dir = await mkdtemp(join(tmpdir(), 'llmctl-migrations-'));
  try {
    await writeFile(join(dir, '0001_ok.sql'), 'CREATE TABLE first_one (id int);');
    await migrate(db.pool, dir);
    await writeFile(join(dir, '0001_ok.sql'), 'CREATE TABLE first_one (id int, edited text);');
    await writeFile(join(dir, '0002_next.sql'), 'CREATE TABLE second_one (id int);');
    await assert.rejects(migrate(db.pool, dir), (err: unknown) => {
      assert.ok(err instanceof LlmctlError);
      assert.equal(err.code, 'migration_checksum_mismatch');
      assert.deepEqual(err.details.migrations, ['0001_ok.sql']);
      assert.match(err.message, /0001_ok\.sql/);
      return true;
    });
    const t = await db.pool.query<{ s: string | null }>("SELECT to_regclass('second_one')::text AS s");
    assert.equal(t.rows[0]?.s, null, 'nothing after the mismatch was applied');
  } finally {
    await rm(dir, { recursive: true, force: true });
    await db.close();
  }
});
