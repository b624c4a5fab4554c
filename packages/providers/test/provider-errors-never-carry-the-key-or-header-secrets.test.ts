import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LlmctlError } from '@llmctl/contracts';
import { createProvider, redactSecrets, type ProviderKind } from '../src/index.ts';
import { startAnthropicStub, startGeminiStub, startOpenAIStub, type StubServer } from './stubs/index.ts';

const KEY = 'pk-echoed-0123456789abcdefghij-7a7a';
const HEADER = 'Bearer hdr-echoed-ABCDEFGHIJKLMNOP-5b5b';
const userRequest = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };

/** Every received credential echoed back in the error text, the way careless providers do. */
const echo = (status: number) => (req: { headers: Record<string, unknown>; query: URLSearchParams }) => ({
  status,
  error: { message: `Incorrect API key provided: ${String(req.headers.authorization ?? req.headers['x-api-key'] ?? req.headers['x-goog-api-key'] ?? req.query.get('key'))}; header x-extra=${String(req.headers['x-extra'])}; raw ${KEY}` },
});

const cases: { kind: ProviderKind; start: (s: never) => Promise<StubServer>; base: (url: string) => string }[] = [
  { kind: 'openai', start: startOpenAIStub as never, base: (u) => `${u}/v1` },
  { kind: 'openai_compatible', start: startOpenAIStub as never, base: (u) => `${u}/v1` },
  { kind: 'anthropic', start: startAnthropicStub as never, base: (u) => u },
  { kind: 'gemini', start: startGeminiStub as never, base: (u) => u },
];

for (const c of cases) {
  for (const status of [401, 400]) {
    test(`${c.kind}: an HTTP ${status} that echoes the key and a header value leaves the adapter redacted`, async () => {
      const stub = await c.start(echo(status) as never);
      try {
        const provider = createProvider({ provider: c.kind, api_key: KEY, base_url: c.base(stub.url), settings: { headers: { 'x-extra': HEADER } } });
        const err = await provider.chat(userRequest).then(() => assert.fail('expected an error'), (e: unknown) => e);
        assert.ok(err instanceof LlmctlError);
        assert.equal(err.code, status === 401 ? 'provider_auth' : 'provider_bad_request');
        assert.ok(stub.requests.length >= 1, 'the provider was called');
        const text = JSON.stringify({ m: err.message, d: err.details, s: err.stack });
        assert.match(err.message, /\[redacted\]/, 'the message says something was removed');
        for (const secret of [KEY, '0123456789abcdefghij', HEADER, 'hdr-echoed-ABCDEFGHIJKLMNOP']) {
          assert.ok(!text.includes(secret), `${secret} leaked: ${text.slice(0, 400)}`);
        }
      } finally {
        await stub.close();
      }
    });
  }
}

test('redactSecrets replaces known secrets and key-looking text at any depth, keeping the rest', () => {
  const v = redactSecrets({ a: ['x my-own-secret-value y', { b: 'sk-abcdefghijklmnopqrstuvwx and Bearer zzz123456' }], n: 3 }, ['my-own-secret-value']);
  assert.deepEqual(v, { a: ['x [redacted] y', { b: '[redacted] and Bearer [redacted]' }], n: 3 });
  assert.equal(redactSecrets('api_key=abcdefgh12345 ok', []), 'api_key=[redacted] ok');
});
