import { runRunStoreContract } from '@llmctl/runtime/testing';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { FlowchartRepository, PgRunStore, createPool } from '../src/index.ts';

// The same contract as the in-memory adapter (packages/runtime/test/in-memory-run-store-passes-the-run-store-contract).
runRunStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = createPool(db.url, { max: 4 });
  const flowchart = await new FlowchartRepository(pool).create({ document: { schema_version: 1, name: 'contract', nodes: [{ id: 's', type: 'start' }], edges: [] } as never });
  return {
    store: new PgRunStore(pool), flowchartId: flowchart.id,
    async close() {
      await pool.end();
      await db.drop();
    },
  };
});
