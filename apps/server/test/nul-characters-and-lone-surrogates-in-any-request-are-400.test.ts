import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseListParams } from '@llmctl/store';
import { assertErrorEnvelope } from './support/envelope.ts';
import { scriptedModel, validDoc } from './support/documents.ts';
import { startTestServer } from './support/test-server.ts';

// PostgreSQL text and jsonb cannot hold U+0000, and jsonb refuses the escape of a lone surrogate: without a central
// check each of these reached the database and answered 500 internal (issue 13, defect 9).

test('a NUL in a list query or filter is 400 validation_failed', async () => {
  const s = await startTestServer();
  try {
    for (const path of [
      '/api/flowcharts?q=a%00b', '/api/models?q=%00', '/api/runs?q=x%00', '/api/runs?flowchart_id=fc_%00',
      '/api/models?provider=scripted%00', '/api/memories?scope=global%00', '/api/plans?run_id=%00', '/api/milestones?flowchart_id=a%00',
      '/api/rag/collections?q=%00', '/api/flowcharts?q=a&q=%00',
    ]) {
      const res = await s.request('GET', path);
      assertErrorEnvelope(res, 400, 'validation_failed');
      assert.match(res.body.error.message, /NUL/, path);
    }
  } finally {
    await s.close();
  }
});

test('a NUL in a path id or name is a malformed id: 404 not_found (api.md), never a database error', async () => {
  const s = await startTestServer();
  try {
    await s.request('POST', '/api/rag/collections', { name: 'a' });
    for (const path of ['/api/rag/collections/a%00b', '/api/rag/collections/a%00', '/api/rag/collections/a%00/search?q=x', '/api/flowcharts/fc_%00', '/api/contracts/run%00']) {
      assertErrorEnvelope(await s.request('GET', path), 404, 'not_found');
    }
    assertErrorEnvelope(await s.request('PUT', '/api/providers/openai%00', { api_key: 'k' }), 404, 'not_found');
  } finally {
    await s.close();
  }
});

test('a NUL or lone surrogate anywhere in a JSON body, keys included, is 400 and nothing is stored', async () => {
  const s = await startTestServer();
  try {
    const model = scriptedModel('m1');
    const bodies: [string, string, unknown][] = [
      ['POST', '/api/models', { ...model, settings: { responses: [{ output: 'x\u0000y' }] } }],
      ['POST', '/api/models', { ...model, settings: { 'k\u0000': 1, responses: [{ output: 'x' }] } }],
      ['POST', '/api/models', '{"name":"m1","provider":"scripted","settings":{"responses":[{"output":"\\ud800"}]}}'],
      ['POST', '/api/models', '{"name":"m1","provider":"scripted","settings":{"responses":[{"output":"\\udc00x"}]}}'],
      ['POST', '/api/rag/collections', { name: 'docs\u0000' }],
      ['POST', '/api/flowcharts', { ...validDoc(), description: '\u0000' }],
      ['PUT', '/api/settings/runtime', { guardrails: { 'x\u0000': 1 } }],
    ];
    for (const [method, path, body] of bodies) {
      const res = await s.request(method, path, body);
      assertErrorEnvelope(res, 400, 'validation_failed');
      assert.ok(Array.isArray(res.body.error.details.errors), res.text);
    }
    for (const list of ['/api/models', '/api/flowcharts', '/api/rag/collections']) assert.equal((await s.request('GET', list)).body.page.total, 0, list);
    // A surrogate pair (an emoji) is valid Unicode and is stored as sent.
    const emoji = await s.request('POST', '/api/rag/collections', '{"name":"docs \\ud83d\\ude00"}');
    assert.equal(emoji.status, 201, emoji.text);
    assert.equal(emoji.body.data.name, 'docs \u{1F600}');
  } finally {
    await s.close();
  }
});

test('a NUL in a run input is 400 and no run is created', async () => {
  const s = await startTestServer();
  try {
    assert.equal((await s.request('POST', '/api/models', scriptedModel('m1'))).status, 201);
    const fc = await s.request('POST', '/api/flowcharts', validDoc());
    assert.equal(fc.status, 201, fc.text);
    for (const input of [{ name: 'a\u0000' }, { ['\u0000']: 1 }, ['\u0000']]) {
      assertErrorEnvelope(await s.request('POST', `/api/flowcharts/${fc.body.data.id}/runs`, { input }), 400, 'validation_failed');
    }
    assertErrorEnvelope(await s.request('POST', `/api/flowcharts/${fc.body.data.id}/runs`, '{"input":{"name":"\\udfff"}}'), 400, 'validation_failed');
    assert.equal((await s.request('GET', '/api/runs')).body.page.total, 0);
  } finally {
    await s.close();
  }
});

test('a NUL in a raw text upload is 400 validation_failed', async () => {
  const s = await startTestServer();
  try {
    const c = await s.request('POST', '/api/rag/collections', { name: 'docs' });
    const res = await s.request('POST', `/api/rag/collections/${c.body.data.id}/documents?name=a.md`, '# Title\n\u0000body', { 'content-type': 'text/markdown' });
    assertErrorEnvelope(res, 400, 'validation_failed');
  } finally {
    await s.close();
  }
});

test('a NUL inside an uploaded document (base64 text) is stored safely: dropped from the extracted text', async () => {
  const s = await startTestServer();
  try {
    const c = await s.request('POST', '/api/rag/collections', { name: 'docs' });
    const content_base64 = Buffer.from('refunds\u0000 within 14 days').toString('base64');
    const res = await s.request('POST', `/api/rag/collections/${c.body.data.id}/documents`, { name: 'nul.txt', media_type: 'text/plain', content_base64 });
    assert.equal(res.status, 201, res.text);
    const hits = await s.request('GET', `/api/rag/collections/${c.body.data.id}/search?q=refunds`);
    assert.equal(hits.status, 200, hits.text);
    assert.equal(hits.body.data.results[0].text, 'refunds within 14 days');
  } finally {
    await s.close();
  }
});

test('parseListParams refuses a NUL in q', () => {
  assert.throws(() => parseListParams({ q: 'a\u0000' }, { sorts: ['name'], defaultSort: 'name', defaultOrder: 'asc' }), (e: Error & { code?: string }) => e.code === 'validation_failed' && /NUL/.test(e.message));
});
