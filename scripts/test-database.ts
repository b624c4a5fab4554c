/**
 * Test databases on the shared test cluster. `npm test` (scripts/run-tests.mjs) starts ONE PostgreSQL for the whole
 * run and hands its URL to every test process as LLMCTL_TEST_DATABASE_URL; each test creates its own database on it.
 * A test file run on its own (`node --import tsx --test file.test.ts`) without that variable starts a private
 * cluster for its process instead (stopped after its tests).
 *
 * Migrated test databases are cloned from a template (`llmctl_tpl_<hash of the migration files>`, built once per
 * cluster under an advisory lock), which is much faster than migrating each one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';
import { createPool, createScratchDatabase, migrate, readMigrations, type ScratchDatabase } from '@llmctl/store';
import { startTestCluster, type TestCluster } from './test-cluster.mjs';

let privateCluster: Promise<TestCluster> | undefined;
// Registered at import time on the root test, so it runs after every test of the file.
after(async () => {
  if (privateCluster) await (await privateCluster).stop();
});

/** Admin URL of the cluster this test process uses. */
export async function testClusterUrl(): Promise<string> {
  const url = process.env.LLMCTL_TEST_DATABASE_URL;
  if (url) return url;
  privateCluster ??= startTestCluster();
  return (await privateCluster).url;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function waitUntilUnused(admin: pg.Client, name: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const r = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
    if (r.rows[0].n === 0) return;
    await new Promise((res) => setTimeout(res, 25));
  }
}

let templateName: Promise<string> | undefined;

/** The migrated template database of the current migration files (built on first use). */
async function migratedTemplate(adminUrl: string): Promise<string> {
  const files = await readMigrations();
  const hash = createHash('sha256').update(files.map((f) => `${f.name}:${f.checksum}`).join('\n')).digest('hex').slice(0, 16);
  const name = `llmctl_tpl_${hash}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(7473001)');
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      const building = `${name}_b${randomBytes(3).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${building}`);
      const pool = createPool(withDatabase(adminUrl, building), { max: 1 });
      try {
        await migrate(pool);
      } finally {
        await pool.end();
      }
      await waitUntilUnused(admin, building);
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    }
    return name;
  } finally {
    await admin.query('SELECT pg_advisory_unlock(7473001)').catch(() => undefined);
    await admin.end();
  }
}

/**
 * A new database on the test cluster (drop it at the end of the test): empty, or with `migrated: true` the current
 * schema already applied.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<ScratchDatabase> {
  const adminUrl = await testClusterUrl();
  if (!options.migrated) return createScratchDatabase(adminUrl);
  templateName ??= migratedTemplate(adminUrl);
  const template = await templateName;
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template} STRATEGY FILE_COPY`);
  } finally {
    await admin.end();
  }
  const drop = async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  };
  return { name, url: withDatabase(adminUrl, name), drop };
}
