/**
 * The HTTP path (issue 17): `GET /api/runs/:id?wait_s` on a run this server is executing does not read the run before
 * it ends (its end comes on the in-process bus): one run read per long-poll instead of two. A run that is not live
 * here (finished, or another server's) is still read first, as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './support/test-server.ts';
import { startGatedModel } from './support/gated-model.ts';

test('a long-poll on a run this server executes reads the run once, when it ends', async () => {
  const model = await startGatedModel();
  const s = await startTestServer();
  try {
    assert.equal((await s.request('POST', '/api/models', { name: 'gated', provider: 'openai_compatible', model: 'gated', base_url: model.baseUrl })).status, 201);
    const fc = (await s.request('POST', '/api/flowcharts', {
      schema_version: 1, name: 'Held here',
      nodes: [{ id: 'start', type: 'start' }, { id: 'ask', type: 'task', config: { model: 'gated', prompt: 'HOLD please' } }, { id: 'done', type: 'end' }],
      edges: [{ id: 'e1', source: 'start', target: 'ask' }, { id: 'e2', source: 'ask', target: 'done' }],
    })).body.data.id as string;
    const runId = (await s.request('POST', `/api/flowcharts/${fc}/runs`, { input: {} })).body.data.id as string;
    await model.held(); // the task's call is in flight: the run is running in this server

    // Whole-run reads of this run (the view's multi-statement query names the run as a literal).
    const pool = s.db.pool as unknown as { query: (...args: unknown[]) => Promise<unknown> };
    const query = pool.query.bind(pool);
    let reads = 0;
    pool.query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text);
      if (text.includes(`FROM runs WHERE id = '${runId}'`)) reads += 1;
      return query(...args);
    };
    try {
      const waiting = s.request('GET', `/api/runs/${runId}?wait_s=60`);
      while (s.app.runWaiters.size === 0) await new Promise((r) => setImmediate(r)); // the long-poll is waiting
      assert.equal(reads, 0, 'a run executing here is not read before it ends');
      model.release();
      const answered = await waiting;
      assert.equal(answered.status, 200);
      assert.equal(answered.body.data.status, 'succeeded');
      assert.equal(answered.body.data.node_runs.length, 3);
      assert.equal(reads, 1, 'one read: the answer');

      reads = 0;
      const again = await s.request('GET', `/api/runs/${runId}?wait_s=60`); // finished: read once, answered at once
      assert.equal(again.body.data.status, 'succeeded');
      assert.equal(reads, 1);
    } finally {
      pool.query = query;
    }
  } finally {
    await s.close();
    await model.close();
  }
});
