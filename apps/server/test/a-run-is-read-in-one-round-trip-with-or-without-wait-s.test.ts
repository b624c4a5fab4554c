/**
 * The HTTP path of a run (issue 17): `GET /api/runs/:id` reads the run, its node runs and their executors in one round
 * trip, and `?wait_s` on a finished run answers from that same read. The executor of an inline attempt still names
 * the `vllm` class when the node's model is a local vLLM one (that part is read only when such models exist).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './support/test-server.ts';
import { scriptedModel, validDoc } from './support/documents.ts';
import { finishedRun, startRun } from './support/realtime.ts';

test('a finished run is one statement to read, with or without wait_s; inline attempts on a local vLLM model are class vllm', async () => {
  const s = await startTestServer();
  try {
    assert.equal((await s.request('POST', '/api/models', scriptedModel('m1'))).status, 201);
    const fc = (await s.request('POST', '/api/flowcharts', validDoc('Read once', 'm1'))).body.data.id as string;
    const runId = await startRun(s, fc);
    const done = await finishedRun(s, runId);
    assert.equal(done.status, 'succeeded');

    // Statements that name this run (the server's own timers may query too; they do not name it).
    const pool = s.db.pool as unknown as { query: (...args: unknown[]) => Promise<unknown> };
    const query = pool.query.bind(pool);
    const seen: string[] = [];
    pool.query = (...args: unknown[]) => {
      const [text, values] = [typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text), args[1]];
      if (text.includes(runId) || (Array.isArray(values) && values.includes(runId))) seen.push(text);
      return query(...args);
    };
    try {
      for (const path of [`/api/runs/${runId}`, `/api/runs/${runId}?wait_s=5`]) {
        seen.length = 0;
        const res = await s.request('GET', path);
        assert.equal(res.status, 200);
        assert.equal(res.body.data.status, 'succeeded');
        assert.equal(res.body.data.node_runs.length, 3);
        assert.deepEqual(res.body.data.node_runs.find((n: { node_id: string }) => n.node_id === 'ask').executor.class, 'frontier');
        assert.equal(seen.length, 1, `${path}: one round trip, got ${seen.length}`);
      }
    } finally {
      pool.query = query;
    }
    const missing = await s.request('GET', '/api/runs/run_01JNOTTHERE0000000000000000?wait_s=5');
    assert.equal(missing.status, 404);

    // The same run once its model is a local vLLM model (no base URL): its inline attempt reads class vllm.
    const model = (await s.request('GET', '/api/models?q=m1')).body.data[0];
    const put = await s.request('PUT', `/api/models/${model.id}`, { provider: 'vllm', model: 'Qwen/Qwen2.5-0.5B-Instruct', settings: {} });
    assert.equal(put.status, 200, put.text);
    const again = (await s.request('GET', `/api/runs/${runId}`)).body.data;
    const ask = again.node_runs.find((n: { node_id: string }) => n.node_id === 'ask');
    assert.deepEqual([ask.executor.backend, ask.executor.class, ask.attempts[0].executor.class], ['inline', 'vllm', 'vllm']);
  } finally {
    await s.close();
  }
});
