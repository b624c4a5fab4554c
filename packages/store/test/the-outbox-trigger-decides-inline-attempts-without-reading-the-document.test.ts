/**
 * The dispatch outbox trigger (migration 0013): for a flowchart version whose document names no executor
 * (`flowchart_versions.names_executor` false) and an inline runtime setting it returns without reading the document;
 * every other combination decides as before (node `executor` > flowchart `settings.executor` > runtime setting).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { FlowchartRepository, LLMCTL_PG_TYPES } from '../src/index.ts';
import { createTestDatabase } from '../../../scripts/test-database.ts';

test('attempts get a dispatch row exactly when node, flowchart or runtime setting choose queue or kubernetes', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = new pg.Pool({ connectionString: db.url, max: 2, types: LLMCTL_PG_TYPES });
  try {
    const repo = new FlowchartRepository(pool);
    const doc = (task: Record<string, unknown>, settings?: Record<string, unknown>) => ({
      schema_version: 1, name: 'outbox', ...(settings ? { settings } : {}),
      nodes: [{ id: 's', type: 'start' }, { id: 'a', type: 'task', config: { model: 'm', prompt: 'p' }, ...task }, { id: 'z', type: 'end' }],
      edges: [{ id: 'e1', source: 's', target: 'a' }, { id: 'e2', source: 'a', target: 'z' }],
    });
    const plain = await repo.create({ document: doc({}) as never });
    const nodeQueue = await repo.create({ document: doc({ executor: 'queue' }) as never });
    const nodeInline = await repo.create({ document: doc({ executor: 'inline' }) as never });
    const flowKube = await repo.create({ document: doc({}, { executor: 'kubernetes' }) as never });
    const names = async (id: string) => (await pool.query(`SELECT names_executor FROM flowchart_versions WHERE flowchart_id = $1`, [id])).rows[0].names_executor;
    assert.deepEqual([await names(plain.id), await names(nodeQueue.id), await names(nodeInline.id), await names(flowKube.id)], [false, true, true, true]);

    let n = 0;
    /** Logs node a's attempt_started on a fresh run of `fc`; returns the backend of the row written, or null. */
    const attempt = async (fc: string, node = 'a') => {
      const run = `run_${++n}`;
      await pool.query(`INSERT INTO runs (id, flowchart_id, flowchart_version, status, input, lease_epoch) VALUES ($1, $2, 1, 'running', '{}', 1)`, [run, fc]);
      await pool.query(`INSERT INTO run_events (run_id, sequence, event_id, event_type, payload) VALUES ($1, 1, $2, 'flowchart:node:updated', $3)`,
        [run, `ev_${n}`, JSON.stringify({ kind: 'node.attempt_started', node_id: node, node_run_id: `nr_${n}`, n: 1, at: '2026-12-06T00:00:00Z' })]);
      return (await pool.query(`SELECT backend FROM executor_dispatches WHERE run_id = $1`, [run])).rows[0]?.backend ?? null;
    };
    const setting = (executor: string | null) => pool.query(`INSERT INTO runtime_settings (id, settings) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET settings = EXCLUDED.settings`,
      [JSON.stringify(executor ? { executor } : {})]);

    for (const runtime of [null, 'inline', 'queue', 'kubernetes']) {
      await setting(runtime);
      const remote = runtime === 'queue' || runtime === 'kubernetes' ? runtime : null;
      assert.equal(await attempt(plain.id), remote, `plain flowchart, runtime ${runtime}`);
      assert.equal(await attempt(plain.id, 's'), null, 'a start node never gets a row');
      assert.equal(await attempt(nodeQueue.id), 'queue', `node executor queue, runtime ${runtime}`);
      assert.equal(await attempt(nodeInline.id), null, `node executor inline, runtime ${runtime}`);
      assert.equal(await attempt(flowKube.id), 'kubernetes', `flowchart executor kubernetes, runtime ${runtime}`);
    }
  } finally {
    await pool.end();
    await db.drop();
  }
});
