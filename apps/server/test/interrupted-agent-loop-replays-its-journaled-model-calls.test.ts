import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startOpenAIStub } from '../../../packages/providers/test/stubs/index.ts';
import type { StubReply } from '../../../packages/providers/test/stubs/index.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { until } from './support/queue-workers.ts';

const AGENT = {
  schema_version: 1, name: 'agent-loop',
  nodes: [
    { id: 's', type: 'start' },
    { id: 'agent', type: 'task', config: { model: 'loop', prompt: 'Remember {{input.text}}', tools: ['memory'] } },
    { id: 'z', type: 'end' },
  ],
  edges: [{ id: 'e1', source: 's', target: 'agent' }, { id: 'e2', source: 'agent', target: 'z' }],
};

/** Starts a run whose agent's step 1 hangs, pauses it "now" once step 1 was asked, and resumes it. */
async function interruptAtStepOne(server: TestServer, stubUrl: string, asked: () => number): Promise<string> {
  assert.equal((await server.request('PUT', '/api/providers/openai_compatible', { api_key: 'sk-test-journal-0000000000' })).status, 200);
  assert.equal((await server.request('POST', '/api/models', { name: 'loop', provider: 'openai_compatible', model: 'm', base_url: `${stubUrl}/v1` })).status, 201);
  const fc = await server.request('POST', '/api/flowcharts', AGENT);
  assert.equal(fc.status, 201, fc.text);
  const runId = (await server.request('POST', `/api/flowcharts/${fc.body.data.id}/runs`, { input: { text: 'the sky is green' } })).body.data.id as string;
  await until(async () => asked() >= 2, 'step 1 of the agent loop to reach the provider');
  const paused = await server.request('POST', `/api/runs/${runId}/control`, { action: 'pause', mode: 'now' });
  assert.equal(paused.status, 200, paused.text);
  await until(async () => (await server.request('GET', `/api/runs/${runId}`)).body.data.status === 'paused', 'the run to be paused');
  assert.equal((await server.request('POST', `/api/runs/${runId}/control`, { action: 'resume' })).status, 200);
  return runId;
}

const remember = (text: string): StubReply => ({ tool_calls: [{ id: 'call_1', name: 'memory', arguments: { op: 'add', text } }] });

test('an agent loop interrupted by pause-now replays its journaled step and tool result instead of calling the model again', async () => {
  const stub = await startOpenAIStub([remember('the sky is green'), { hang: true }, { tokens: ['noted'] }]);
  const server = await startTestServer({ config: { allowedBaseUrls: ['127.0.0.1'] } });
  try {
    const runId = await interruptAtStepOne(server, stub.url, () => stub.requests.length);
    const run = (await server.request('GET', `/api/runs/${runId}?wait_s=30`)).body.data;
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    assert.deepEqual(run.output, { text: 'noted' });
    assert.equal(stub.requests.length, 3, 'step 0 was not asked again');
    const rows = (await server.db.pool.query(
      `SELECT attempt, step, status, idempotency_key, replayed_from FROM model_calls WHERE run_id = $1 ORDER BY started_at, id`, [runId])).rows;
    const node = run.node_runs.find((n: { node_id: string }) => n.node_id === 'agent');
    // An interrupted attempt does not count: the attempt runs again under the same number.
    assert.deepEqual(rows.map((r) => [r.step, r.status]), [[0, 'succeeded'], [1, 'failed'], [0, 'replayed'], [1, 'succeeded']]);
    assert.equal(rows[2].idempotency_key, `${node.idempotency_key}:model:0`);
    assert.equal(rows[2].replayed_from, (await server.db.pool.query(`SELECT id FROM model_calls WHERE run_id = $1 AND step = 0 AND status = 'succeeded'`, [runId])).rows[0].id);
    assert.equal(node.attempts[0].error.code, 'interrupted');
    const tools = (await server.db.pool.query(`SELECT attempts FROM tool_calls WHERE run_id = $1`, [runId])).rows;
    assert.deepEqual(tools.map((t) => t.attempts), [1], 'the tool ran once');
  } finally {
    await server.close();
    await stub.close();
  }
});

test('a replayed agent loop that asks for a different tool call than the one recorded fails with replay_diverged', async () => {
  // Step 0's text is over the journal bound, so it cannot be replayed: attempt 2 asks the model again and gets another call.
  const long = 'x'.repeat(17_000);
  const stub = await startOpenAIStub([{ ...remember('first'), tokens: [long] }, { hang: true }, remember('second')]);
  const server = await startTestServer({ config: { allowedBaseUrls: ['127.0.0.1'] } });
  try {
    const runId = await interruptAtStepOne(server, stub.url, () => stub.requests.length);
    const run = (await server.request('GET', `/api/runs/${runId}?wait_s=30`)).body.data;
    assert.equal(run.status, 'failed');
    const node = run.node_runs.find((n: { node_id: string }) => n.node_id === 'agent');
    assert.equal(node.error.code, 'replay_diverged');
    assert.equal(node.error.retryable, false);
    const tools = (await server.db.pool.query(`SELECT input FROM tool_calls WHERE run_id = $1`, [runId])).rows;
    assert.deepEqual(tools.map((t) => t.input.text), ['first'], 'the recorded call was neither reused for nor replaced by the changed one');
  } finally {
    await server.close();
    await stub.close();
  }
});
