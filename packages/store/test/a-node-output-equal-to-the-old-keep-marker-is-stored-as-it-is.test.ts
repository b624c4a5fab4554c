/**
 * The node-run upsert used to mark "large column unchanged" with the value {"__keep":1}: a node whose real output (or
 * routing) was exactly that value was never stored — the old value stayed. The flags saying which columns a commit
 * changed are now read directly, so every value round-trips, and unchanged columns are still kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '@llmctl/engine';
import type { Commit } from '@llmctl/runtime';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { FlowchartRepository, PgRunStore, createPool } from '../src/index.ts';

const ME = 'llmctl:keep-host:1:me';
const KEEP = { __keep: 1 };

function commitOf(expected: number, node: { status: string; output: unknown; routing: unknown }, writes: Commit['writes']): Commit {
  return {
    run_id: 'run_keep', expected_sequence: expected, lease: { owner: ME, epoch: 1 },
    events: [{ sequence: expected + 1, event_id: `ev_${expected + 1}`, event_type: 'flowchart:run:updated', payload: { kind: 'node.started' } as unknown as EngineEvent, request_id: null, correlation_id: null }],
    node_runs: [{
      id: 'nr_keep', node_id: 'n', node_type: 'task', iteration: 0, status: node.status, outcome: null, fallback_used: false, degraded_reason: null,
      warnings: [], error: null, tokens: [{ connector_id: 'c', source_node_id: 's', source_node_run_id: 'nr_s', output: { from: 'start' } }],
      output: node.output, routing: node.routing, attempts: [], idempotency_key: 'run_keep:n:0', retry_of: null, rewound_from: null,
      started_at: null, finished_at: null, usage: null, queued_seq: 1, started_seq: null, created_order: 1,
    } as unknown as Commit['node_runs'][number]],
    writes,
    run: { status: 'running', input: {}, output: null, error: null, warnings: [], leftover_tokens: [], started_at: null, finished_at: null, running_ms: 0, running_since: null },
  };
}

test('a node whose output and routing are exactly {"__keep":1} is stored and read back as such; unchanged columns are kept', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = createPool(db.url, { max: 2 });
  try {
    const fc = await new FlowchartRepository(pool).create({ document: { schema_version: 1, name: 'k', nodes: [{ id: 's', type: 'start' }], edges: [] } as never });
    const store = new PgRunStore(pool);
    await store.createLeasedRun({ id: 'run_keep', flowchart_id: fc.id, flowchart_version: 1, input: {} }, ME, 60_000);
    const read = async (): Promise<{ status: string; output: unknown; routing: unknown; input_snapshot: { tokens: { output: unknown }[] } }> =>
      (await pool.query(`SELECT status, output, routing, input_snapshot FROM node_runs WHERE id = 'nr_keep'`)).rows[0];

    await store.commit(commitOf(0, { status: 'running', output: null, routing: null }, { snapshot: ['nr_keep'], output: ['nr_keep'], run_input: true }));
    await store.commit(commitOf(1, { status: 'succeeded', output: KEEP, routing: KEEP }, { snapshot: [], output: ['nr_keep'], run_input: false }));
    let row = await read();
    assert.equal(row.status, 'succeeded');
    assert.deepEqual(row.output, KEEP, 'the real output {"__keep":1} is stored');
    assert.deepEqual(row.routing, KEEP);
    assert.deepEqual(row.input_snapshot.tokens[0]?.output, { from: 'start' }, 'the input snapshot, unchanged by the commit, is kept');

    // A later commit that changes neither keeps both (and a different in-memory value is not written).
    await store.commit(commitOf(2, { status: 'failed', output: { other: true }, routing: null }, { snapshot: [], output: [], run_input: false }));
    row = await read();
    assert.equal(row.status, 'failed');
    assert.deepEqual([row.output, row.routing], [KEEP, KEEP]);
  } finally {
    await pool.end();
    await db.drop();
  }
});
