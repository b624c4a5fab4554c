import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startOpenAIStub } from '../../../packages/providers/test/stubs/index.ts';
import { startTestServer } from './support/test-server.ts';

const KEY = 'sk-live-0123456789abcdef-9f8e';

test('a task node on an OpenAI-compatible server (stub) runs end to end: 429 retried, malformed JSON repaired; the API key never leaks', async () => {
  const stub = await startOpenAIStub([
    { status: 429, headers: { 'retry-after': '0' } },
    { tokens: ['{oops'] },
    { tokens: ['{"category":', ' "bug"}'] },
  ]);
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } }));
  // The stub is on loopback: the operator allows it to receive the stored provider key.
  const server = await startTestServer({ logger, config: { allowedBaseUrls: ['127.0.0.1'] } });
  const seen: string[] = [];
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await server.request(method, path, body);
    seen.push(r.text);
    return r;
  };
  try {
    const put = await call('PUT', '/api/providers/openai_compatible', { api_key: KEY });
    assert.equal(put.status, 200);
    assert.equal(put.body.data.has_api_key, true);
    assert.equal(put.body.data.api_key_masked, 'sk-…9f8e');
    const model = await call('POST', '/api/models', { name: 'local-vllm', provider: 'openai_compatible', model: 'qwen-7b', base_url: `${stub.url}/v1` });
    assert.equal(model.status, 201, model.text);
    const doc = {
      schema_version: 1, name: 'compat',
      nodes: [
        { id: 's', type: 'start' },
        { id: 'classify', type: 'task', retry: { max_attempts: 2, backoff_ms: 1 }, config: { model: 'local-vllm', prompt: 'Classify: {{input.text}}', output_schema: { type: 'object', required: ['category'], properties: { category: { type: 'string' } } } } },
        { id: 'z', type: 'end' },
      ],
      edges: [{ id: 'e1', source: 's', target: 'classify' }, { id: 'e2', source: 'classify', target: 'z' }],
    };
    const fc = await call('POST', '/api/flowcharts', doc);
    assert.equal(fc.status, 201, fc.text);
    const started = await call('POST', `/api/flowcharts/${fc.body.data.id}/runs`, { input: { text: 'crash on login' } });
    const run = (await call('GET', `/api/runs/${started.body.data.id}?wait_s=30`)).body.data;
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    assert.deepEqual(run.output, { category: 'bug' });
    const node = run.node_runs.find((n: { node_id: string }) => n.node_id === 'classify');
    assert.deepEqual(node.attempts.map((a: { error: { code: string } | null }) => a.error?.code ?? null), ['provider_rate_limited', null]);
    assert.equal(node.usage.model_calls, 2, 'the second attempt made one call and one repair call');
    // The stub received the key: it is used, just never shown.
    assert.equal(stub.requests.length, 3);
    assert.equal(stub.requests[0]!.headers.authorization, `Bearer ${KEY}`);
    assert.equal(stub.requests[2]!.body.messages.at(-1).role, 'user', 'the repair call shows the model its error');
    await call('GET', '/api/providers');
    await call('GET', `/api/models/${model.body.data.id}`);
    await call('GET', `/api/runs/${run.id}/events?after_sequence=0&limit=1000`);
    await call('GET', `/api/runs/${run.id}/trace`);
    for (const text of seen) assert.ok(!text.includes(KEY) && !text.includes('0123456789abcdef'), 'an API response contains the key');
    assert.ok(logs.length > 0, 'the server logged');
    for (const line of logs) assert.ok(!line.includes(KEY) && !line.includes('0123456789abcdef'), `a log line contains the key: ${line.slice(0, 200)}`);
    const stored = await server.db.pool.query(`SELECT api_key_enc FROM provider_credentials WHERE provider = 'openai_compatible'`);
    assert.ok(!String(stored.rows[0].api_key_enc).includes(KEY), 'the key is stored sealed');
  } finally {
    await server.close();
    await stub.close();
  }
});
