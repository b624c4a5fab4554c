import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createProvider, type ModelProvider } from '../src/index.ts';
import { startOpenAIStub, type StubServer } from './stubs/index.ts';
import { adapterConformance, rejectsWith, userRequest } from './adapter-conformance.ts';

adapterConformance('openai', startOpenAIStub, (stub) => createProvider({ provider: 'openai', api_key: 'sk-test', base_url: `${stub.url}/v1` }));

let stub: StubServer;
let provider: ModelProvider;
before(async () => {
  stub = await startOpenAIStub({ tokens: ['{"ok":true}'] });
  provider = createProvider({ provider: 'openai', api_key: 'sk-test', base_url: `${stub.url}/v1` });
});
after(() => stub.close());

test('openai: json_schema is sent as response_format json_schema', async () => {
  stub.requests.length = 0;
  const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
  await provider.chat({ ...userRequest, json_schema: schema, max_tokens: 50, temperature: 0 });
  const body = stub.requests[0]?.body;
  assert.deepEqual(body.response_format, { type: 'json_schema', json_schema: { name: 'output', schema, strict: false } });
  assert.equal(body.max_completion_tokens, 50);
  assert.equal(body.temperature, 0);
  assert.equal(body.stream, true);
  assert.equal(stub.requests[0]?.headers.authorization, 'Bearer sk-test');
});

test('openai: tool calls and tool results are sent in chat-completions form', async () => {
  stub.requests.length = 0;
  await provider.chat({
    model: 'm',
    messages: [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'c1', name: 'lookup', arguments: { q: 1 } }] },
      { role: 'tool', tool_call_id: 'c1', content: '{"r":2}' },
    ],
    tools: [{ name: 'lookup', description: 'find', input_schema: { type: 'object' } }],
  });
  const body = stub.requests[0]?.body;
  assert.deepEqual(body.messages[1], {
    role: 'assistant', content: null,
    tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' } }],
  });
  assert.deepEqual(body.messages[2], { role: 'tool', content: '{"r":2}', tool_call_id: 'c1' });
  assert.deepEqual(body.tools, [{ type: 'function', function: { name: 'lookup', description: 'find', parameters: { type: 'object' } } }]);
});

test('openai: a content_filter finish is provider_content_filter', async () => {
  stub.setScript({ tokens: ['bad'], finish_reason: 'content_filter' });
  await rejectsWith(provider.chat(userRequest), 'provider_content_filter');
  stub.setScript({ tokens: ['{"ok":true}'] });
});

test('openai: a missing API key is provider_auth', async () => {
  await rejectsWith(createProvider({ provider: 'openai', base_url: `${stub.url}/v1` }).chat(userRequest), 'provider_auth');
});
