import { test } from 'node:test';
import pg from 'pg';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { FlowchartRepository, PgRunStore } from '../src/index.ts';

// A run is created (queued, no lease) and then leased by the process starting it. Another live orchestrator's
// recovery scan must not take it in between (the creator would answer 503 for a run another process executes); a
// run whose creator died before leasing it is recovered once it is older than the lease TTL.
test('recovery does not take a run another process has just created; it takes it once the creator had time to lease it', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  try {
    const fc = await new FlowchartRepository(pool).create({ document: { schema_version: 1, name: 'r', nodes: [{ id: 's', type: 'start' }], edges: [] } as never });
    const store = new PgRunStore(pool);
    await store.createRun({ id: 'run_fresh', flowchart_id: fc.id, flowchart_version: 1, input: {} });
    assert.deepEqual(await store.findRunsToRecover('llmctl:other:1:x', () => false), []);
    await pool.query(`UPDATE runs SET created_at = now() - interval '1 minute' WHERE id = 'run_fresh'`);
    assert.deepEqual(await store.findRunsToRecover('llmctl:other:1:x', () => false), ['run_fresh']);
  } finally {
    await pool.end();
    await db.drop();
  }
});
