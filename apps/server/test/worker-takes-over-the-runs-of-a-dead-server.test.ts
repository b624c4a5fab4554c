import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { callApi as api, startChildServer, stopChildServer } from './support/child-server.ts';

const BIN = fileURLToPath(new URL('../bin/llmctl.mjs', import.meta.url));

test('llmctl worker takes over the runs of a server killed mid-run and finishes them', { timeout: 120_000 }, async () => {
  const db = await createTestDatabase({ migrated: true });
  const server = await startChildServer(db.url);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  let worker: ReturnType<typeof spawn> | undefined;
  try {
    await api(server.url, 'POST', '/api/models', { name: 'w', provider: 'scripted', model: 'scripted', settings: { responses: [{ output: { n: '{{node.id}}' }, delay_ms: 300 }] } });
    const t = (id: string) => ({ id, type: 'task', config: { model: 'w', prompt: id, output_schema: { type: 'object' } } });
    const fc = await api(server.url, 'POST', '/api/flowcharts', {
      schema_version: 1, name: 'w', nodes: [{ id: 's', type: 'start' }, t('a'), t('b'), t('c'), { id: 'z', type: 'end' }],
      edges: [{ id: 'e1', source: 's', target: 'a' }, { id: 'e2', source: 'a', target: 'b' }, { id: 'e3', source: 'b', target: 'c' }, { id: 'e4', source: 'c', target: 'z' }],
    });
    const run = await api(server.url, 'POST', `/api/flowcharts/${fc.id}/runs`, { input: {} });
    let view;
    do view = await api(server.url, 'GET', `/api/runs/${run.id}`);
    while (!view.node_runs.some((n: { node_id: string; status: string }) => n.node_id === 'a' && n.status === 'running'));
    await stopChildServer(server, 'SIGKILL');

    worker = spawn(process.execPath, [BIN, 'worker'], { env: { ...process.env, DATABASE_URL: db.url, LLMCTL_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let status = '';
    for (let i = 0; i < 600 && status !== 'succeeded'; i++) {
      status = (await pool.query('SELECT status FROM runs WHERE id = $1', [run.id])).rows[0].status;
      if (status !== 'succeeded') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 'succeeded');
    const owners = await pool.query(`SELECT DISTINCT payload->>'kind' AS kind FROM run_events WHERE run_id = $1 AND payload->>'kind' = 'node.requeued'`, [run.id]);
    assert.equal(owners.rows.length, 1, 'the interrupted attempt was requeued by the worker');
    const done = await pool.query(`SELECT node_id, count(*)::int AS n FROM node_runs WHERE run_id = $1 AND status = 'succeeded' GROUP BY node_id ORDER BY node_id`, [run.id]);
    assert.deepEqual(done.rows.map((r) => [r.node_id, r.n]), [['a', 1], ['b', 1], ['c', 1], ['s', 1], ['z', 1]]);
  } finally {
    if (worker && worker.exitCode === null) {
      await new Promise<void>((resolve) => {
        worker!.once('exit', () => resolve());
        worker!.kill('SIGTERM');
      });
    }
    await stopChildServer(server);
    await pool.end();
    await db.drop();
  }
});
