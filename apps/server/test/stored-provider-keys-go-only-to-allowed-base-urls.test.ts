import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startOpenAIStub, type StubServer } from '../../../packages/providers/test/stubs/index.ts';
import { loadConfig } from '../src/config.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const STORED = 'sk-stored-provider-key-000111222333-aaaa';
const OWN = 'sk-model-own-key-444555666777-bbbb';

function flowchart(model: string) {
  return {
    schema_version: 1, name: `egress-${model}`,
    nodes: [{ id: 's', type: 'start' }, { id: 'ask', type: 'task', retry: { max_attempts: 3, backoff_ms: 1 }, config: { model, prompt: 'hi' } }, { id: 'z', type: 'end' }],
    edges: [{ id: 'e1', source: 's', target: 'ask' }, { id: 'e2', source: 'ask', target: 'z' }],
  };
}

async function runOnce(server: TestServer, model: string) {
  const fc = await server.request('POST', '/api/flowcharts', flowchart(model));
  assert.equal(fc.status, 201, fc.text);
  const started = await server.request('POST', `/api/flowcharts/${fc.body.data.id}/runs`, { input: {} });
  assert.equal(started.status, 201, started.text);
  return (await server.request('GET', `/api/runs/${started.body.data.id}?wait_s=30`)).body.data;
}

async function withServer(config: Record<string, unknown>, fn: (s: TestServer, stub: StubServer) => Promise<void>) {
  const stub = await startOpenAIStub({ tokens: ['pong'] });
  const server = await startTestServer({ config });
  try {
    await fn(server, stub);
  } finally {
    await server.close();
    await stub.close();
  }
}

const keysSeen = (stub: StubServer) => stub.requests.map((r) => String(r.headers.authorization ?? ''));

test('by default a loopback base_url never receives the stored provider key: the run fails base_url_not_allowed and no request is sent', async () => {
  await withServer({}, async (s, stub) => {
    assert.equal((await s.request('PUT', '/api/providers/openai_compatible', { api_key: STORED })).status, 200);
    const m = await s.request('POST', '/api/models', { name: 'loop', provider: 'openai_compatible', model: 'x', base_url: `${stub.url}/v1` });
    assert.equal(m.status, 201, 'a loopback URL is not outright forbidden: it only may not get the stored key');
    const run = await runOnce(s, 'loop');
    assert.equal(run.status, 'failed');
    const node = run.node_runs.find((n: { node_id: string }) => n.node_id === 'ask');
    assert.equal(node.error.code, 'base_url_not_allowed');
    assert.equal(node.attempts.length, 1, 'not retried');
    const t = await s.request('POST', `/api/models/${m.body.data.id}/test`);
    assert.equal(t.body.data.ok, false);
    assert.equal(t.body.data.error.code, 'base_url_not_allowed');
    // localhost resolves to loopback: same verdict.
    await s.request('POST', '/api/models', { name: 'lh', provider: 'openai_compatible', model: 'x', base_url: `${stub.url.replace('127.0.0.1', 'localhost')}/v1` });
    assert.equal((await runOnce(s, 'lh')).status, 'failed');
    assert.equal(stub.requests.length, 0, 'the stub received nothing');
  });
});

test('a model with its own api_key on an unlisted base_url sends only that key; the stored key never leaves', async () => {
  await withServer({}, async (s, stub) => {
    await s.request('PUT', '/api/providers/openai_compatible', { api_key: STORED, settings: { headers: { 'x-provider-secret': 'provider-header-secret-999' } } });
    const m = await s.request('POST', '/api/models', { name: 'own', provider: 'openai_compatible', model: 'x', base_url: `${stub.url}/v1`, api_key: OWN });
    assert.equal(m.status, 201, m.text);
    assert.equal(m.body.data.has_api_key, true);
    assert.equal(m.body.data.api_key_masked, 'sk-…bbbb');
    assert.ok(!m.text.includes(OWN));
    const run = await runOnce(s, 'own');
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    assert.deepEqual(keysSeen(stub), [`Bearer ${OWN}`]);
    assert.equal(stub.requests[0]!.headers['x-provider-secret'], undefined, 'provider credential headers stay home too');
    const got = await s.request('GET', `/api/models/${m.body.data.id}`);
    assert.ok(!got.text.includes(OWN) && got.body.data.has_api_key === true);
    // Removing the model's key brings the refusal back.
    const cleared = await s.request('PUT', `/api/models/${m.body.data.id}`, { api_key: null });
    assert.equal(cleared.body.data.has_api_key, undefined);
    assert.equal((await s.request('POST', `/api/models/${m.body.data.id}/test`)).body.data.error.code, 'base_url_not_allowed');
    assert.equal(stub.requests.length, 1);
  });
});

test('LLMCTL_ALLOWED_BASE_URLS (host, CIDR or URL prefix) lets a listed base_url receive the stored key', async () => {
  for (const entry of ['127.0.0.1', '127.0.0.0/8', 'http://127.0.0.1:PORT/v1', '10.0.0.0/8,localhost']) {
    const stub = await startOpenAIStub({ tokens: ['pong'] });
    const port = new URL(stub.url).port;
    const s = await startTestServer({ config: { allowedBaseUrls: entry.replace('PORT', port).split(',') } });
    try {
      await s.request('PUT', '/api/providers/openai_compatible', { api_key: STORED });
      const host = entry.includes('localhost') ? stub.url.replace('127.0.0.1', 'localhost') : stub.url;
      const m = await s.request('POST', '/api/models', { name: 'listed', provider: 'openai_compatible', model: 'x', base_url: `${host}/v1` });
      const t = await s.request('POST', `/api/models/${m.body.data.id}/test`);
      assert.equal(t.body.data.ok, true, `${entry}: ${JSON.stringify(t.body.data)}`);
      assert.deepEqual(keysSeen(stub), [`Bearer ${STORED}`]);
      assert.ok(!t.text.includes(STORED));
    } finally {
      await s.close();
      await stub.close();
    }
  }
});

test('the base_url stored on the provider itself is trusted for that provider key', async () => {
  await withServer({}, async (s, stub) => {
    await s.request('PUT', '/api/providers/openai_compatible', { api_key: STORED, base_url: `${stub.url}/v1` });
    const inherit = await s.request('POST', '/api/models', { name: 'inherit', provider: 'openai_compatible', model: 'x' });
    const same = await s.request('POST', '/api/models', { name: 'same', provider: 'openai_compatible', model: 'x', base_url: `${stub.url}/v1` });
    assert.equal((await s.request('POST', `/api/models/${inherit.body.data.id}/test`)).body.data.ok, true);
    assert.equal((await s.request('POST', `/api/models/${same.body.data.id}/test`)).body.data.ok, true);
    assert.deepEqual(keysSeen(stub), [`Bearer ${STORED}`, `Bearer ${STORED}`]);
    // The scripted provider needs neither key nor URL.
    const sc = await s.request('POST', '/api/models', { name: 'sc', provider: 'scripted', settings: { responses: [{ output: 'ok' }] } });
    assert.equal((await runOnce(s, 'sc')).status, 'succeeded', sc.text);
  });
});

test('link-local and metadata base_urls are refused 422 unless explicitly listed; non-http schemes are 400', async () => {
  await withServer({}, async (s) => {
    for (const url of ['http://169.254.169.254/latest', 'http://169.254.1.1:8080/v1', 'http://metadata.google.internal/v1', 'http://100.100.100.200/', 'http://[fe80::1]/v1', 'http://[fd00:ec2::254]/', 'http://[::ffff:169.254.169.254]/']) {
      const r = await s.request('POST', '/api/models', { name: 'meta', provider: 'openai', model: 'x', base_url: url });
      assert.equal(r.status, 422, `${url}: ${r.text}`);
      assert.equal(r.body.error.code, 'base_url_not_allowed');
    }
    for (const url of ['file:///etc/passwd', 'ftp://x/', 'gopher://x/', 'data:text/plain,hi', 'javascript:alert(1)']) {
      const r = await s.request('POST', '/api/models', { name: 'scheme', provider: 'openai', model: 'x', base_url: url });
      assert.equal(r.status, 400, url);
      assert.equal(r.body.error.code, 'validation_failed');
      const p = await s.request('PUT', '/api/providers/openai', { base_url: url });
      assert.equal(p.status, 400, url);
    }
    const prov = await s.request('PUT', '/api/providers/openai_compatible', { base_url: 'http://169.254.169.254/v1' });
    assert.equal(prov.status, 422, 'the provider base_url too');
    assert.equal(prov.body.error.code, 'base_url_not_allowed');
    const ok = await s.request('POST', '/api/models', { name: 'fine', provider: 'openai', model: 'x' });
    const upd = await s.request('PUT', `/api/models/${ok.body.data.id}`, { base_url: 'http://169.254.169.254/' });
    assert.equal(upd.status, 422);
  });
  await withServer({ allowedBaseUrls: ['169.254.169.254'] }, async (s) => {
    const r = await s.request('POST', '/api/models', { name: 'listed-meta', provider: 'openai', model: 'x', base_url: 'http://169.254.169.254/v1' });
    assert.equal(r.status, 201, 'explicitly listed');
    const other = await s.request('POST', '/api/models', { name: 'other-meta', provider: 'openai', model: 'x', base_url: 'http://169.254.1.1/v1' });
    assert.equal(other.status, 422, 'only the listed address');
  });
});

test('LLMCTL_ALLOWED_BASE_URLS is parsed into the server config; a bad entry stops the start with validation_failed', () => {
  const c = loadConfig({ LLMCTL_ALLOWED_BASE_URLS: ' 127.0.0.1, 10.0.0.0/8 ,https://vllm.internal:8000,,' });
  assert.deepEqual(c.allowedBaseUrls, ['127.0.0.1', '10.0.0.0/8', 'https://vllm.internal:8000']);
  assert.equal(loadConfig({}).allowedBaseUrls, undefined);
  assert.throws(() => loadConfig({ LLMCTL_ALLOWED_BASE_URLS: 'file:///etc' }), { code: 'validation_failed' });
  assert.throws(() => loadConfig({ LLMCTL_ALLOWED_BASE_URLS: '10.0.0.0/99' }), { code: 'validation_failed' });
});
