import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './support/test-server.ts';

test('GET /api/settings/runtime returns the defaults', async () => {
  const s = await startTestServer();
  try {
    const res = await s.request('GET', '/api/settings/runtime');
    assert.equal(res.status, 200);
    assert.equal(res.body.data.executor, 'inline');
    assert.deepEqual(res.body.data.guardrails, { max_node_executions: 500, max_runtime_minutes: 60, max_parallel_nodes: 8, max_continuations: 100 });
    assert.equal(res.body.data.images.frontier.repository, 'llmctl-executor-frontier');
    assert.equal(res.body.data.images.vllm.repository, 'llmctl-executor-vllm');
  } finally {
    await s.close();
  }
});

test('PUT /api/settings/runtime merges a partial update and GET returns it', async () => {
  const s = await startTestServer();
  try {
    const put = await s.request('PUT', '/api/settings/runtime', { executor: 'kubernetes', images: { frontier: { tag: '2.0.0' } } });
    assert.equal(put.status, 200, put.text);
    const got = (await s.request('GET', '/api/settings/runtime')).body.data;
    assert.equal(got.executor, 'kubernetes');
    assert.equal(got.images.frontier.tag, '2.0.0');
    assert.deepEqual(got, put.body.data);
    const roundTrip = await s.request('PUT', '/api/settings/runtime', got);
    assert.equal(roundTrip.status, 200, 'what GET returns can be PUT back');
  } finally {
    await s.close();
  }
});

test('bad runtime settings are 400 validation_failed and nothing changes', async () => {
  const s = await startTestServer();
  try {
    for (const body of [{ executor: 'docker' }, { guardrails: { max_parallel_nodes: '8' } }, { surprise: true }, [], '"x"']) {
      const res = await s.request('PUT', '/api/settings/runtime', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'validation_failed');
    }
    assert.equal((await s.request('GET', '/api/settings/runtime')).body.data.updated_at, null);
  } finally {
    await s.close();
  }
});
