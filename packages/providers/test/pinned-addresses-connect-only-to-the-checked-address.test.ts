/**
 * DNS-rebinding guard: with `pinned_addresses` an adapter connects only to the addresses the base URL policy checked,
 * whatever the name resolves to later. The stubs are reached through a `.invalid` name that never resolves, so every
 * passing call went through the pinned address; the whole adapter conformance suite (streaming, tool calls, error
 * mapping, aborts, timeouts) runs over the pinned fetch.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProvider, type ProviderKind } from '../src/index.ts';
import { adapterConformance, userRequest } from './adapter-conformance.ts';
import { startAnthropicStub, startGeminiStub, startOpenAIStub, type StubServer } from './stubs/index.ts';

const named = (stub: StubServer) => stub.url.replace('127.0.0.1', 'llm-stub.invalid');
const pinned = ['127.0.0.1'];

adapterConformance('openai (pinned)', startOpenAIStub, (stub) => createProvider({ provider: 'openai', api_key: 'sk-test', base_url: `${named(stub)}/v1`, pinned_addresses: pinned }));
adapterConformance('anthropic (pinned)', startAnthropicStub, (stub) => createProvider({ provider: 'anthropic', api_key: 'ak-test', base_url: named(stub), pinned_addresses: pinned }));
adapterConformance('gemini (pinned)', startGeminiStub, (stub) => createProvider({ provider: 'gemini', api_key: 'gk-test', base_url: named(stub), pinned_addresses: pinned }));

test('the pinned request keeps the host name in the Host header, and without the pin the name does not resolve', async () => {
  const stub = await startOpenAIStub({ tokens: ['ok'] });
  try {
    const kinds: ProviderKind[] = ['openai_compatible'];
    for (const provider of kinds) {
      const res = await createProvider({ provider, base_url: `${named(stub)}/v1`, pinned_addresses: pinned }).chat(userRequest);
      assert.equal(res.text, 'ok');
      assert.equal(stub.requests.at(-1)!.headers.host, new URL(named(stub)).host);
      await assert.rejects(createProvider({ provider, base_url: `${named(stub)}/v1` }).chat(userRequest), { code: 'provider_unavailable' });
    }
  } finally {
    await stub.close();
  }
});
