import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { callApi as api, startChildServer, stopChildServer } from './support/child-server.ts';
import { until } from './support/queue-workers.ts';

test('a control call sent to a server that does not own the run is carried to the owner and answered after its commit', { timeout: 180_000 }, async () => {
  const db = await createTestDatabase({ migrated: true });
  const a = await startChildServer(db.url);
  const b = await startChildServer(db.url);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  try {
    await api(a.url, 'POST', '/api/models', { name: 'slow', provider: 'scripted', model: 'scripted', settings: { responses: [{ output: 'x', delay_ms: 60_000 }] } });
    const fc = await api(a.url, 'POST', '/api/flowcharts', {
      schema_version: 1, name: 'c', nodes: [{ id: 's', type: 'start' }, { id: 't', type: 'task', config: { model: 'slow', prompt: 'p' } }, { id: 'z', type: 'end' }],
      edges: [{ id: 'e1', source: 's', target: 't' }, { id: 'e2', source: 't', target: 'z' }],
    });
    const run = await api(a.url, 'POST', `/api/flowcharts/${fc.id}/runs`, { input: {} });
    await until(async () => (await pool.query(`SELECT 1 FROM node_runs WHERE run_id = $1 AND node_id = 't' AND status = 'running'`, [run.id])).rowCount, 'the task running on A');
    const res = await fetch(`${b.url}/api/runs/${run.id}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'cancel', reason: 'from B' }) });
    const body = (await res.json()) as { ok: boolean; data: { run: { status: string } } };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.data.run.status, 'canceled');
    const row = (await pool.query(`SELECT status, lease_owner FROM runs WHERE id = $1`, [run.id])).rows[0];
    assert.equal(row.status, 'canceled');
    const ev = await pool.query(`SELECT payload FROM run_events WHERE run_id = $1 AND payload->>'kind' = 'run.control'`, [run.id]);
    assert.equal(ev.rows.length, 1, 'the owner recorded the control once');
  } finally {
    await stopChildServer(a);
    await stopChildServer(b);
    await pool.end();
    await db.drop();
  }
});
