/**
 * DNS rebinding: the model gateway resolves a custom base_url, checks every address, and the provider client then
 * connects only to the checked addresses. The host names here end in `.invalid` (never resolvable by the system), so a
 * call that reaches the stub went through the pinned address; a name that resolves to a metadata address is refused
 * before any request.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelRepository, createPool } from '@llmctl/store';
import type { Lookup } from '@llmctl/providers';
import { startOpenAIStub, startStubServer } from '../../../packages/providers/test/stubs/index.ts';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { RegistryModelGateway } from '../src/runtime/model-gateway.ts';

const KEY = 'sk-stored-rebinding-key-0123456789-cccc';

test('the gateway connects to the address it checked, and refuses a name that resolves to a metadata address', async () => {
  const scratch = await createTestDatabase({ migrated: true });
  const pool = createPool(scratch.url, { max: 2 });
  const stub = await startOpenAIStub({ tokens: ['pong'] });
  try {
    const port = new URL(stub.url).port;
    const answers: Record<string, string[]> = { 'vllm.invalid': ['127.0.0.1'], 'rebind.invalid': ['169.254.169.254'] };
    const lookups: string[] = [];
    const lookup: Lookup = async (host) => {
      lookups.push(host);
      const a = answers[host];
      if (!a) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
      return a;
    };
    const credentials = { forProvider: async () => ({ api_key: KEY, base_url: null, settings: {} }) };
    const models = new ModelRepository(pool);
    await models.create({ name: 'pinned', provider: 'openai_compatible', model: 'x', base_url: `http://vllm.invalid:${port}/v1` });
    await models.create({ name: 'rebound', provider: 'openai_compatible', model: 'x', base_url: `http://rebind.invalid:${port}/v1` });
    const gateway = new RegistryModelGateway(models, credentials, ['127.0.0.0/8'], { lookup });
    const req = { model: 'x', messages: [{ role: 'user' as const, content: 'hi' }] };

    const ok = await (await gateway.resolve('pinned'))!.chat(req);
    assert.equal(ok.text, 'pong');
    assert.equal(stub.requests.length, 1);
    assert.equal(stub.requests[0]!.headers.host, `vllm.invalid:${port}`, 'the name is kept for Host (and TLS)');
    assert.equal(stub.requests[0]!.headers.authorization, `Bearer ${KEY}`, 'listed by CIDR: the stored key may go there');

    await assert.rejects((await gateway.resolve('rebound'))!.chat(req), { code: 'base_url_not_allowed' });
    // The DNS answer for the allowed name changes to a metadata address: the next call is refused, nothing is sent.
    answers['vllm.invalid'] = ['169.254.169.254'];
    await assert.rejects((await gateway.resolve('pinned'))!.chat(req), { code: 'base_url_not_allowed' });
    assert.equal(stub.requests.length, 1);
    assert.ok(lookups.filter((h) => h === 'vllm.invalid').length >= 2, 'resolved again on every call');
    // The base URL stored on the provider is checked the same way (trusted for its key, never for metadata addresses).
    await models.create({ name: 'inherits', provider: 'openai_compatible', model: 'x' });
    const viaProvider = new RegistryModelGateway(models, { forProvider: async () => ({ api_key: KEY, base_url: `http://rebind.invalid:${port}/v1`, settings: {} }) }, [], { lookup });
    await assert.rejects((await viaProvider.resolve('inherits'))!.chat(req), { code: 'base_url_not_allowed' });
    assert.equal(stub.requests.length, 1);
  } finally {
    await stub.close();
    await pool.end();
    await scratch.drop();
  }
});

test('a base_url that redirects elsewhere is not followed (the key and the request stay with the checked address), and an unresolvable name sends nothing', async () => {
  const scratch = await createTestDatabase({ migrated: true });
  const pool = createPool(scratch.url, { max: 2 });
  const target = await startOpenAIStub({ tokens: ['pong'] });
  const redirector = await startStubServer((_reply, _req, res) => {
    res.writeHead(307, { location: `${target.url}/v1/chat/completions` });
    res.end();
  });
  try {
    const credentials = { forProvider: async () => ({ api_key: KEY, base_url: null, settings: {} }) };
    const models = new ModelRepository(pool);
    await models.create({ name: 'redir', provider: 'openai_compatible', model: 'x', base_url: `${redirector.url}/v1` });
    await models.create({ name: 'nowhere', provider: 'openai_compatible', model: 'x', base_url: 'http://no-such-host.invalid/v1' });
    const gateway = new RegistryModelGateway(models, credentials, ['127.0.0.1']);
    const req = { model: 'x', messages: [{ role: 'user' as const, content: 'hi' }] };
    await assert.rejects((await gateway.resolve('redir'))!.chat(req), (e: { code?: string }) => typeof e.code === 'string' && e.code.startsWith('provider_'));
    assert.equal(redirector.requests.length, 1);
    assert.equal(target.requests.length, 0, 'the redirect was not followed');
    await assert.rejects((await gateway.resolve('nowhere'))!.chat(req), { code: 'provider_unavailable' });
  } finally {
    await redirector.close();
    await target.close();
    await pool.end();
    await scratch.drop();
  }
});
