/**
 * Test databases on the shared test cluster. `npm test` (scripts/run-tests.mjs) starts ONE PostgreSQL for the whole
 * run and hands its URL to every test process as LLMCTL_TEST_DATABASE_URL; each test creates its own database on it.
 * A test file run on its own (`node --import tsx --test file.test.ts`) without that variable starts a private
 * cluster for its process instead (stopped after its tests).
 */
import { after } from 'node:test';
import { createScratchDatabase, type ScratchDatabase } from '@llmctl/store';
import { startTestCluster, type TestCluster } from './test-cluster.mjs';

let privateCluster: Promise<TestCluster> | undefined;
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

/** A new empty database on the test cluster (drop it at the end of the test). */
export async function createTestDatabase(prefix = 't_'): Promise<ScratchDatabase> {
  return createScratchDatabase(await testClusterUrl(), prefix);
}
