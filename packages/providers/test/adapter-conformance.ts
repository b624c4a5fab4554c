/**
 * Behaviours every HTTP adapter must show against its vendor stub: streaming, tool calls, error mapping, no SDK
 * retries, aborts and timeouts. Each vendor's test file registers these and adds its own request-shape tests.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LlmctlError } from '@llmctl/contracts';
import type { ChatRequest, ModelProvider } from '../src/index.ts';
import type { StubScript, StubServer } from './stubs/index.ts';

/** Asserts that `p` rejects with an `LlmctlError` of `code` and returns it. */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<LlmctlError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof LlmctlError, `expected an LlmctlError, got ${String(err)}`);
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return err;
  }
  assert.fail(`expected a rejection with ${code}`);
}

export const userRequest: ChatRequest = {
  model: 'test-model',
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Say hello' },
  ],
};

/** Registers the shared adapter tests. `make` builds a provider pointed at the stub. */
export function adapterConformance(
  vendor: string,
  startStub: (script?: StubScript) => Promise<StubServer>,
  make: (stub: StubServer) => ModelProvider,
): void {
  let stub: StubServer;
  let provider: ModelProvider;
  before(async () => {
    stub = await startStub();
    provider = make(stub);
  });
  after(() => stub.close());

  const fresh = (script: StubScript) => {
    stub.setScript(script);
    stub.requests.length = 0;
  };

  test(`${vendor}: streamed tokens reach onToken and make up the text`, async () => {
    fresh({ tokens: ['Hel', 'lo, ', 'world'], usage: { input_tokens: 5, output_tokens: 3 } });
    const tokens: string[] = [];
    const res = await provider.chat(userRequest, { onToken: (d) => tokens.push(d) });
    assert.deepEqual(tokens, ['Hel', 'lo, ', 'world']);
    assert.equal(res.text, 'Hello, world');
    assert.equal(res.finish_reason, 'stop');
    assert.deepEqual(res.usage, { input_tokens: 5, output_tokens: 3 });
    assert.deepEqual(res.tool_calls, []);
  });

  test(`${vendor}: tool calls are parsed with their arguments`, async () => {
    fresh({ tool_calls: [{ id: 'c1', name: 'lookup', arguments: { q: 'x', n: 2 } }, { id: 'c2', name: 'echo', arguments: {} }] });
    const res = await provider.chat({ ...userRequest, tools: [{ name: 'lookup', input_schema: { type: 'object' } }, { name: 'echo', input_schema: { type: 'object' } }] });
    assert.equal(res.finish_reason, 'tool_calls');
    assert.deepEqual(res.tool_calls.map((c) => [c.name, c.arguments]), [['lookup', { q: 'x', n: 2 }], ['echo', {}]]);
    assert.ok(res.tool_calls.every((c) => typeof c.id === 'string' && c.id.length > 0));
  });

  test(`${vendor}: 429 with Retry-After is provider_rate_limited, retryable, with retry_after_ms`, async () => {
    fresh({ status: 429, headers: { 'retry-after': '7' }, error: { message: 'slow down' } });
    const err = await rejectsWith(provider.chat(userRequest), 'provider_rate_limited');
    assert.equal(err.retryable, true);
    assert.equal(err.details.retry_after_ms, 7000);
    assert.equal(stub.requests.length, 1, 'the SDK must not retry');
  });

  test(`${vendor}: 500 is the retryable provider_unavailable, without SDK retries`, async () => {
    fresh({ status: 500 });
    const err = await rejectsWith(provider.chat(userRequest), 'provider_unavailable');
    assert.equal(err.retryable, true);
    assert.equal(stub.requests.length, 1);
  });

  test(`${vendor}: 401 is the non-retryable provider_auth`, async () => {
    fresh({ status: 401 });
    const err = await rejectsWith(provider.chat(userRequest), 'provider_auth');
    assert.equal(err.retryable, false);
  });

  test(`${vendor}: 400 about the context length is provider_context_length`, async () => {
    fresh({ status: 400, error: { message: "This model's maximum context length is 8192 tokens" } });
    await rejectsWith(provider.chat(userRequest), 'provider_context_length');
  });

  test(`${vendor}: an error event inside the stream is mapped`, async () => {
    fresh({ tokens: ['a'], stream_error: true });
    const err = await rejectsWith(provider.chat(userRequest), 'provider_unavailable');
    assert.equal(err.retryable, true);
  });

  test(`${vendor}: aborting mid-stream stops the HTTP request and rejects with interrupted`, async () => {
    fresh({ tokens: ['partial'], hang: true });
    const closedBefore = stub.clientClosed;
    const ac = new AbortController();
    const call = provider.chat(userRequest, { signal: ac.signal, onToken: () => ac.abort() });
    const err = await rejectsWith(call, 'interrupted');
    assert.equal(err.retryable, true);
    await stub.waitForClientClose(closedBefore); // the stub saw the socket close
  });

  test(`${vendor}: an abort whose reason is an LlmctlError rejects with that error`, async () => {
    fresh({ tokens: ['partial'], hang: true });
    const ac = new AbortController();
    const reason = new LlmctlError('node_timeout', 'node over timeout_s');
    const err = await rejectsWith(provider.chat(userRequest, { signal: ac.signal, onToken: () => ac.abort(reason) }), 'node_timeout');
    assert.equal(err, reason);
  });

  test(`${vendor}: timeoutMs aborts a hanging stream with provider_timeout`, async () => {
    fresh({ tokens: ['partial'], hang: true });
    const closedBefore = stub.clientClosed;
    const err = await rejectsWith(provider.chat(userRequest, { timeoutMs: 150 }), 'provider_timeout');
    assert.equal(err.retryable, true);
    await stub.waitForClientClose(closedBefore);
  });

  test(`${vendor}: an unreachable server is the retryable provider_unavailable`, async () => {
    const gone = await startStub();
    const unreachable = make(gone);
    await gone.close();
    const err = await rejectsWith(unreachable.chat(userRequest), 'provider_unavailable');
    assert.equal(err.retryable, true);
  });

  test(`${vendor}: an already aborted signal sends no request`, async () => {
    fresh({ tokens: ['x'] });
    const ac = new AbortController();
    ac.abort();
    await rejectsWith(provider.chat(userRequest, { signal: ac.signal }), 'interrupted');
    assert.equal(stub.requests.length, 0);
  });
}
