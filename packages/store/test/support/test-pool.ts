import type pg from 'pg';
import { createPool, createRepositories, migrate, type Repositories } from '@llmctl/store';
import { createTestDatabase } from '../../../../scripts/test-database.ts';

/** A fresh database on the test cluster with a pool (and, by default, the schema). */
export interface TestPool {
  pool: pg.Pool;
  url: string;
  repos: Repositories;
  close(): Promise<void>;
}

export async function openTestPool(options: { migrated?: boolean } = {}): Promise<TestPool> {
  const migrated = options.migrated !== false;
  const scratch = await createTestDatabase({ migrated });
  const pool = createPool(scratch.url, { max: 4 });
  if (migrated) await migrate(pool);
  return {
    pool, url: scratch.url, repos: createRepositories(pool),
    async close() {
      await pool.end();
      await scratch.drop();
    },
  };
}
