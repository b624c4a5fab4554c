import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createProvider, type ModelProvider } from '../src/index.ts';
import { startGeminiStub, type StubServer } from './stubs/index.ts';
import { adapterConformance, rejectsWith, userRequest } from './adapter-conformance.ts';

adapterConformance('gemini', startGeminiStub, (stub) => createProvider({ provider: 'gemini', api_key: 'gk-test', base_url: stub.url }));

let stub: StubServer;
let provider: ModelProvider;
before(async () => {
  stub = await startGeminiStub({ tokens: ['{"ok":true}'] });
  provider = createProvider({ provider: 'gemini', api_key: 'gk-test', base_url: stub.url });
});
after(() => stub.close());

test('gemini: the request goes to streamGenerateContent with the key, system instruction and JSON schema', async () => {
  stub.requests.length = 0;
  const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
  await provider.chat({ ...userRequest, json_schema: schema, max_tokens: 64, temperature: 0.2 });
  const req = stub.requests[0];
  assert.equal(req?.path, '/v1beta/models/test-model:streamGenerateContent');
  assert.equal(req?.query.get('alt'), 'sse');
  assert.equal(req?.headers['x-goog-api-key'], 'gk-test');
  assert.deepEqual(req?.body.systemInstruction.parts, [{ text: 'You are terse.' }]);
  assert.deepEqual(req?.body.contents, [{ role: 'user', parts: [{ text: 'Say hello' }] }]);
  assert.equal(req?.body.generationConfig.responseMimeType, 'application/json');
  assert.deepEqual(req?.body.generationConfig.responseJsonSchema, schema);
  assert.equal(req?.body.generationConfig.maxOutputTokens, 64);
});

test('gemini: tool results are sent as functionResponse parts named after their call', async () => {
  stub.requests.length = 0;
  await provider.chat({
    model: 'm',
    messages: [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'fc1', name: 'lookup', arguments: { q: 1 } }] },
      { role: 'tool', tool_call_id: 'fc1', content: '{"r":2}' },
    ],
    tools: [{ name: 'lookup', description: 'find', input_schema: { type: 'object' } }],
  });
  const body = stub.requests[0]?.body;
  assert.deepEqual(body.contents[1], { role: 'model', parts: [{ functionCall: { id: 'fc1', name: 'lookup', args: { q: 1 } } }] });
  assert.deepEqual(body.contents[2], { role: 'user', parts: [{ functionResponse: { id: 'fc1', name: 'lookup', response: { output: { r: 2 } } } }] });
  assert.deepEqual(body.tools, [{ functionDeclarations: [{ name: 'lookup', description: 'find', parametersJsonSchema: { type: 'object' } }] }]);
});

test('gemini: a RetryInfo retryDelay in a 429 body gives retry_after_ms', async () => {
  stub.setScript({
    status: 429,
    error: { message: 'Quota exceeded', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12s' }] },
  });
  const err = await rejectsWith(provider.chat(userRequest), 'provider_rate_limited');
  assert.equal(err.details.retry_after_ms, 12000);
  stub.setScript({ tokens: ['ok'] });
});

test('gemini: a SAFETY finish is provider_content_filter', async () => {
  stub.setScript({ tokens: ['x'], finish_reason: 'SAFETY' });
  await rejectsWith(provider.chat(userRequest), 'provider_content_filter');
  stub.setScript({ tokens: ['ok'] });
});

test('vertex: project and location select the Vertex path, with a bearer access token', async () => {
  stub.requests.length = 0;
  const vertex = createProvider({ provider: 'vertex', project: 'proj-1', location: 'europe-west4', base_url: stub.url, settings: { access_token: 'ya29.test' } });
  assert.equal(vertex.kind, 'vertex');
  const tokens: string[] = [];
  const res = await vertex.chat(userRequest, { onToken: (d) => tokens.push(d) });
  assert.equal(res.text, 'ok');
  assert.deepEqual(tokens, ['ok']);
  const req = stub.requests[0];
  assert.equal(req?.path, '/v1beta1/projects/proj-1/locations/europe-west4/publishers/google/models/test-model:streamGenerateContent');
  assert.equal(req?.headers.authorization, 'Bearer ya29.test');
});

test('vertex: 401 is provider_auth', async () => {
  stub.setScript({ status: 401 });
  const vertex = createProvider({ provider: 'vertex', project: 'p', location: 'us-central1', base_url: stub.url, settings: { access_token: 't' } });
  await rejectsWith(vertex.chat(userRequest), 'provider_auth');
  stub.setScript({ tokens: ['ok'] });
});
