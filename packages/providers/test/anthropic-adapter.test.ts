import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createProvider, type ModelProvider } from '../src/index.ts';
import { startAnthropicStub, type StubServer } from './stubs/index.ts';
import { adapterConformance, rejectsWith, userRequest } from './adapter-conformance.ts';

adapterConformance('anthropic', startAnthropicStub, (stub) => createProvider({ provider: 'anthropic', api_key: 'ak-test', base_url: stub.url }));

let stub: StubServer;
let provider: ModelProvider;
before(async () => {
  stub = await startAnthropicStub({ tokens: ['{"ok":true}'] });
  provider = createProvider({ provider: 'anthropic', api_key: 'ak-test', base_url: stub.url });
});
after(() => stub.close());

test('anthropic: system messages become the system field and json_schema becomes output_config.format', async () => {
  stub.requests.length = 0;
  const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
  await provider.chat({ ...userRequest, json_schema: schema });
  const body = stub.requests[0]?.body;
  assert.equal(body.system, 'You are terse.');
  assert.deepEqual(body.messages, [{ role: 'user', content: 'Say hello' }]);
  assert.deepEqual(body.output_config, { format: { type: 'json_schema', schema } });
  assert.equal(body.max_tokens, 4096);
  const auth = stub.requests[0]?.headers['x-api-key'] ?? stub.requests[0]?.headers.authorization;
  assert.match(String(auth), /ak-test/);
});

test('anthropic: structured_outputs false puts the schema in the system prompt instead', async () => {
  stub.requests.length = 0;
  const p = createProvider({ provider: 'anthropic', api_key: 'ak-test', base_url: stub.url, settings: { structured_outputs: false } });
  await p.chat({ ...userRequest, json_schema: { type: 'object' } });
  const body = stub.requests[0]?.body;
  assert.equal(body.output_config, undefined);
  assert.match(body.system, /You are terse\.\n\nAnswer with a single JSON value only/);
});

test('anthropic: tool calls become tool_use blocks and consecutive tool results share one user turn', async () => {
  stub.requests.length = 0;
  await provider.chat({
    model: 'm',
    messages: [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: 'calling', tool_calls: [{ id: 't1', name: 'a', arguments: { x: 1 } }, { id: 't2', name: 'b', arguments: {} }] },
      { role: 'tool', tool_call_id: 't1', content: 'one' },
      { role: 'tool', tool_call_id: 't2', content: 'two' },
    ],
    tools: [{ name: 'a', input_schema: { type: 'object', properties: {} } }],
  });
  const body = stub.requests[0]?.body;
  assert.deepEqual(body.messages[1].content, [
    { type: 'text', text: 'calling' },
    { type: 'tool_use', id: 't1', name: 'a', input: { x: 1 } },
    { type: 'tool_use', id: 't2', name: 'b', input: {} },
  ]);
  assert.deepEqual(body.messages[2], {
    role: 'user',
    content: [
      { type: 'tool_result', tool_use_id: 't1', content: 'one' },
      { type: 'tool_result', tool_use_id: 't2', content: 'two' },
    ],
  });
  assert.equal(body.messages.length, 3);
  assert.deepEqual(body.tools, [{ name: 'a', input_schema: { type: 'object', properties: {} } }]);
});

test('anthropic: 529 overloaded is provider_unavailable', async () => {
  stub.setScript({ status: 529 });
  await rejectsWith(provider.chat(userRequest), 'provider_unavailable');
  stub.setScript({ tokens: ['ok'] });
});

test('anthropic: a refusal stop reason is provider_content_filter', async () => {
  stub.setScript({ tokens: ['no'], finish_reason: 'refusal' });
  await rejectsWith(provider.chat(userRequest), 'provider_content_filter');
  stub.setScript({ tokens: ['ok'] });
});
