import { test } from 'node:test';
import pg from 'pg';
import assert from 'node:assert/strict';
import { classifyStoreError, toErrorInfo } from '@llmctl/runtime';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { FlowchartRepository, PgRunStore, createPgToolPorts } from '../src/index.ts';

// Issue 13, defects 3 and 9: a NUL (or a lone surrogate) in a tool result failed a node with the unregistered code
// 22P05. The real PostgreSQL errors must classify as unstorable and map to output_unstorable.
test('PostgreSQL rejections of NULs and lone surrogates classify as unstorable and become output_unstorable', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  try {
    const fc = await new FlowchartRepository(pool).create({ document: { schema_version: 1, name: 'u', nodes: [{ id: 's', type: 'start' }], edges: [] } as never });
    await new PgRunStore(pool).createRun({ id: 'run_u', flowchart_id: fc.id, flowchart_version: 1, input: {} });
    const { ledger } = createPgToolPorts(pool);
    await ledger.start({ idempotency_key: 'k1', run_id: 'run_u', node_run_id: 'nr_1', tool: 'read_file', input: {}, correlation_id: null, request_id: null });
    for (const text of ['a\u0000b', 'a\ud800b']) {
      const err = await ledger.finish('k1', { status: 'succeeded', attempts: 1, result: { status: 'succeeded', output: { text }, warnings: [], idempotency_key: 'k1' } as never })
        .then(() => null, (e: unknown) => e);
      assert.ok(err, `PostgreSQL stored ${JSON.stringify(text)}`);
      assert.equal(classifyStoreError(err), 'unstorable', `${(err as Error).message} (${(err as { code?: string }).code})`);
      const info = toErrorInfo(err);
      assert.equal(info.code, 'output_unstorable');
      assert.equal(info.retryable, false);
    }
    // A NUL in a text column (not jsonb) is another SQLSTATE (22021): the same mapping.
    const textErr = await pool.query(`SELECT $1::text`, ['a\u0000b']).then(() => null, (e: unknown) => e);
    assert.equal(toErrorInfo(textErr).code, 'output_unstorable');
  } finally {
    await pool.end();
    await db.drop();
  }
});
