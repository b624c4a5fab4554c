import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startOpenAIStub } from '../../../packages/providers/test/stubs/index.ts';
import { assertNoSecret } from './support/secret-scan.ts';
import { startTestServer } from './support/test-server.ts';

const KEY = 'sk-node-test-echo-0123456789abcdefABCDEF-77';

test('a node test against a provider that echoes the key answers with the coded error and without the key', async () => {
  // Every call fails with an error text that repeats the Authorization header; the second answer (after that) is a success.
  const stub = await startOpenAIStub((req, i) => (i === 0
    ? { status: 401, error: { message: `Incorrect API key provided: ${String(req.headers.authorization)}` } }
    : { tokens: [`ok ${String(req.headers.authorization)}`] }));
  const server = await startTestServer({ config: { allowedBaseUrls: ['127.0.0.1'] } });
  try {
    assert.equal((await server.request('PUT', '/api/providers/openai_compatible', { api_key: KEY })).status, 200);
    assert.equal((await server.request('POST', '/api/models', { name: 'echo', provider: 'openai_compatible', model: 'x', base_url: `${stub.url}/v1` })).status, 201);
    const node = { id: 'ask', type: 'task', config: { model: 'echo', prompt: 'hi {{input.name}}' } };
    const failed = await server.request('POST', '/api/node-tests', { node, sample: { input: { name: 'ada' } } });
    assert.equal(failed.status, 422, failed.text);
    assert.equal(failed.body.error.code, 'provider_auth');
    assert.match(failed.body.error.message, /rejected the credentials/);
    assert.equal(stub.requests[0]!.headers.authorization, `Bearer ${KEY}`, 'the key was sent and echoed');
    const answered = await server.request('POST', '/api/node-tests', { node, sample: { input: { name: 'ada' } } });
    assert.equal(answered.status, 200, answered.text);
    assert.equal(answered.body.data.rendered.prompt, 'hi ada');
    assertNoSecret('a node-test response', `${failed.text}\n${answered.text}`, [KEY]);
  } finally {
    await server.close();
    await stub.close();
  }
});
