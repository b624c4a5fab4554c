import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createProvider, OpenAICompatibleProvider } from '../src/index.ts';
import { startOpenAIStub, type RecordedRequest, type StubReply, type StubServer } from './stubs/index.ts';
import { adapterConformance, rejectsWith, userRequest } from './adapter-conformance.ts';

adapterConformance('vllm', startOpenAIStub, (stub) => createProvider({ provider: 'vllm', base_url: `${stub.url}/v1` }));

/** A server that rejects response_format with a 400, as some OpenAI-compatible servers do. */
const rejectsResponseFormat = (req: RecordedRequest): StubReply =>
  req.body?.response_format
    ? { status: 400, error: { message: "Unrecognized request argument supplied: response_format" } }
    : { tokens: ['{"category":', '"bug"}'] };

const schema = { type: 'object', required: ['category'], properties: { category: { type: 'string' } } };

let stub: StubServer;
before(async () => {
  stub = await startOpenAIStub(rejectsResponseFormat);
});
after(() => stub.close());

test('openai_compatible: a 400 on response_format falls back to prompt-enforced JSON', async () => {
  stub.requests.length = 0;
  const provider = createProvider({ provider: 'openai_compatible', base_url: `${stub.url}/v1`, api_key: 'local' });
  const tokens: string[] = [];
  const res = await provider.chat({ ...userRequest, json_schema: schema }, { onToken: (d) => tokens.push(d) });
  assert.equal(res.text, '{"category":"bug"}');
  assert.deepEqual(tokens, ['{"category":', '"bug"}']);
  assert.equal(stub.requests.length, 2);
  assert.equal(stub.requests[0]?.body.response_format.type, 'json_schema');
  const retry = stub.requests[1]?.body;
  assert.equal(retry.response_format, undefined);
  assert.deepEqual(retry.messages.map((m: { role: string }) => m.role), ['system', 'system', 'user']);
  assert.match(retry.messages[1].content, /single JSON value only[\s\S]*"required":\["category"\]/);
});

test('openai_compatible: after a successful fallback later calls go straight to the prompt', async () => {
  stub.requests.length = 0;
  const provider = createProvider({ provider: 'openai_compatible', base_url: `${stub.url}/v1` }) as OpenAICompatibleProvider;
  await provider.chat({ ...userRequest, json_schema: schema });
  assert.equal(provider.responseFormatRejected, true);
  stub.requests.length = 0;
  await provider.chat({ ...userRequest, json_schema: schema });
  assert.equal(stub.requests.length, 1);
  assert.equal(stub.requests[0]?.body.response_format, undefined);
});

test('openai_compatible: a 400 that the fallback does not cure is reported and not remembered', async () => {
  stub.setScript({ status: 400, error: { message: 'bad tools' } });
  const provider = createProvider({ provider: 'openai_compatible', base_url: `${stub.url}/v1` }) as OpenAICompatibleProvider;
  await rejectsWith(provider.chat({ ...userRequest, json_schema: schema }), 'provider_bad_request');
  assert.equal(provider.responseFormatRejected, false);
  stub.setScript(rejectsResponseFormat);
});

test('vllm: works without an API key and sends max_tokens', async () => {
  stub.setScript({ tokens: ['hi'] });
  stub.requests.length = 0;
  const provider = createProvider({ provider: 'vllm', base_url: `${stub.url}/v1` });
  const res = await provider.chat({ ...userRequest, max_tokens: 12 });
  assert.equal(res.text, 'hi');
  assert.equal(stub.requests[0]?.headers.authorization, 'Bearer EMPTY');
  assert.equal(stub.requests[0]?.body.max_tokens, 12);
  stub.setScript(rejectsResponseFormat);
});

test('vllm: json_mode json_object asks for JSON mode and puts the schema in the prompt', async () => {
  stub.setScript({ tokens: ['{}'] });
  stub.requests.length = 0;
  const provider = createProvider({ provider: 'vllm', base_url: `${stub.url}/v1`, settings: { json_mode: 'json_object' } });
  await provider.chat({ ...userRequest, json_schema: schema });
  const body = stub.requests[0]?.body;
  assert.deepEqual(body.response_format, { type: 'json_object' });
  assert.match(body.messages[1].content, /JSON Schema/);
  stub.setScript(rejectsResponseFormat);
});

test('vllm: an unknown json_mode is provider_config_invalid', () => {
  assert.throws(
    () => createProvider({ provider: 'vllm', base_url: 'http://127.0.0.1:1', settings: { json_mode: 'yaml' } }),
    (err: unknown) => (err as { code?: string }).code === 'provider_config_invalid',
  );
});
