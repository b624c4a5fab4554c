import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './support/test-server.ts';

// PUT /api/providers/:provider and POST /api/rag/collections validate their bodies with their route schemas (the
// hand-written checks are gone): 400 validation_failed naming the field, nothing written, never a key echoed.
test('provider and RAG collection bodies are validated by their schemas', async (t) => {
  const s: TestServer = await startTestServer();
  try {
    const cases: [string, string, unknown, string][] = [
      ['PUT', '/api/providers/openai_compatible', { api_key: 42 }, 'api_key'],
      ['PUT', '/api/providers/openai_compatible', { base_url: 'ftp://example.test' }, 'base_url'],
      ['PUT', '/api/providers/openai_compatible', { settings: [] }, 'settings'],
      ['PUT', '/api/providers/openai_compatible', { api_key: 'sk-never-echoed-0000', colour: 'red' }, 'colour'],
      ['POST', '/api/rag/collections', {}, 'name'],
      ['POST', '/api/rag/collections', { name: 'x'.repeat(201) }, 'name'],
      ['POST', '/api/rag/collections', { name: 'docs', description: 7 }, 'description'],
      ['POST', '/api/rag/collections', { name: '   ' }, 'name'],
    ];
    for (const [method, url, body, path] of cases) {
      await t.test(`${method} ${url} ${JSON.stringify(body).slice(0, 50)} → 400 at "${path}"`, async () => {
        const r = await s.request(method, url, body);
        assert.equal(r.status, 400, r.text);
        assert.equal(r.body.error.code, 'validation_failed');
        assert.ok(r.body.error.details.errors.some((e: { path: string }) => e.path === path), JSON.stringify(r.body.error.details));
        assert.ok(!r.text.includes('sk-never-echoed'), 'the key is echoed');
      });
    }
    await t.test('nothing was stored, and valid bodies still pass', async () => {
      const providers = await s.request('GET', '/api/providers');
      assert.equal(providers.body.data.find((p: { provider: string }) => p.provider === 'openai_compatible').has_api_key, false);
      assert.equal((await s.request('GET', '/api/rag/collections')).body.page.total, 0);
      assert.equal((await s.request('PUT', '/api/providers/openai_compatible', { api_key: null, base_url: null, settings: {} })).status, 200);
      assert.equal((await s.request('POST', '/api/rag/collections', { name: ' docs ', description: null })).body.data.name, 'docs');
      assert.equal((await s.request('PUT', '/api/providers/bogus', { api_key: 'k' })).status, 404);
    });
  } finally {
    await s.close();
  }
});

test('a flowchart version and a rehearsal timeout outside their schemas are 400 naming the field', async () => {
  const s: TestServer = await startTestServer();
  try {
    const fc = await s.request('POST', '/api/flowcharts', { schema_version: 1, name: 'v', nodes: [{ id: 'start', type: 'start' }, { id: 'end', type: 'end' }], edges: [{ id: 'e1', source: 'start', target: 'end' }] });
    assert.equal(fc.status, 201, fc.text);
    for (const [method, url, body, path] of [
      ['GET', `/api/flowcharts/${fc.body.data.id}?version=0`, undefined, 'version'],
      ['GET', `/api/flowcharts/${fc.body.data.id}?version=99999999999`, undefined, 'version'],
      ['GET', `/api/flowcharts/${fc.body.data.id}?version=x`, undefined, 'version'],
      ['POST', '/api/migrations/cutover/rehearse', { timeout_s: 601 }, 'timeout_s'],
      ['POST', '/api/migrations/cutover/rehearse', { timeout_s: '5' }, 'timeout_s'],
    ] as const) {
      const r = await s.request(method, url, body);
      assert.equal(r.status, 400, `${url}: ${r.text}`);
      assert.equal(r.body.error.code, 'validation_failed');
      assert.ok(r.body.error.details.errors.some((e: { path: string }) => e.path === path), JSON.stringify(r.body.error.details));
    }
    assert.equal((await s.request('GET', `/api/flowcharts/${fc.body.data.id}?version=1`)).body.data.version, 1);
    assert.equal((await s.request('GET', `/api/flowcharts/${fc.body.data.id}?version=`)).body.data.version, 1);
  } finally {
    await s.close();
  }
});

test('special-state and artifact list filters outside their query schema (too long, repeated) are 400 naming the filter', async () => {
  const s: TestServer = await startTestServer();
  try {
    for (const [url, path] of [
      [`/api/memories?run_id=${'r'.repeat(201)}`, 'run_id'],
      ['/api/plans?flowchart_id=a&flowchart_id=b', 'flowchart_id'],
      ['/api/milestones?run_id=a&run_id=b', 'run_id'],
      ['/api/runs/run_0000000000aaaaaaaaaaaaaaaa/artifacts?kind=a&kind=b', 'kind'],
    ] as const) {
      const r = await s.request('GET', url);
      assert.equal(r.status, 400, `${url}: ${r.text}`);
      assert.equal(r.body.error.code, 'validation_failed');
      assert.ok(r.body.error.details.errors.some((e: { path: string }) => e.path === path), JSON.stringify(r.body.error.details));
    }
    assert.equal((await s.request('GET', '/api/memories?run_id=&scope=global')).status, 200);
  } finally {
    await s.close();
  }
});
