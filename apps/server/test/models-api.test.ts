import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigEvent } from '@llmctl/server';
import { startTestServer } from './support/test-server.ts';
import { scriptedModel, validDoc } from './support/documents.ts';

test('model CRUD: create 201, get, update, delete', async () => {
  const events: ConfigEvent[] = [];
  const s = await startTestServer({ onEvent: (e) => events.push(e) });
  try {
    const created = await s.request('POST', '/api/models', { name: 'gpt', provider: 'openai', model: 'gpt-4o-mini' });
    assert.equal(created.status, 201, created.text);
    const m = created.body.data;
    assert.deepEqual(Object.keys(m).sort(), ['base_url', 'created_at', 'id', 'model', 'name', 'provider', 'settings', 'updated_at']);
    const put = await s.request('PUT', `/api/models/${m.id}`, { base_url: 'http://127.0.0.1:9/v1', settings: { temperature: 0.2 } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.data.base_url, 'http://127.0.0.1:9/v1');
    assert.equal(put.body.data.model, 'gpt-4o-mini');
    assert.deepEqual((await s.request('GET', `/api/models/${m.id}`)).body.data, put.body.data);
    const del = await s.request('DELETE', `/api/models/${m.id}`);
    assert.deepEqual(del.body.data, { id: m.id, deleted: true });
    assert.equal((await s.request('GET', `/api/models/${m.id}`)).status, 404);
    assert.deepEqual(events.map((e) => e.event_type), ['config:model:created', 'config:model:updated', 'config:model:deleted']);
  } finally {
    await s.close();
  }
});

test('scripted models are labelled "scripted (offline)" in API output', async () => {
  const s = await startTestServer();
  try {
    const m = (await s.request('POST', '/api/models', scriptedModel('demo'))).body.data;
    assert.equal(m.offline, true);
    assert.equal(m.label, 'scripted (offline)');
    assert.equal(m.model, 'scripted');
    assert.equal((await s.request('GET', '/api/models')).body.data[0].label, 'scripted (offline)');
  } finally {
    await s.close();
  }
});

test('a duplicate model name is 409 name_taken', async () => {
  const s = await startTestServer();
  try {
    await s.request('POST', '/api/models', scriptedModel('same'));
    const dup = await s.request('POST', '/api/models', { name: 'same', provider: 'openai', model: 'x' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'name_taken');
    const other = (await s.request('POST', '/api/models', scriptedModel('other'))).body.data;
    const rename = await s.request('PUT', `/api/models/${other.id}`, { name: 'same' });
    assert.equal(rename.status, 409);
    assert.equal(rename.body.error.code, 'name_taken');
  } finally {
    await s.close();
  }
});

test('bad model bodies are 400 validation_failed with details.errors and nothing is written', async () => {
  const s = await startTestServer();
  try {
    const bad = [
      {}, { name: '', provider: 'openai', model: 'x' }, { name: 'a', provider: 'nope', model: 'x' }, { name: 'a', provider: 'openai' },
      { name: 'a', provider: 'openai', model: 'x', base_url: 'ftp://x' }, { name: 42, provider: 'openai', model: 'x' },
      { name: 'a', provider: 'scripted', settings: { responses: 'nope' } }, { name: 'a', provider: 'openai', model: 'x', settings: [] },
      { name: 'tab\there', provider: 'openai', model: 'x' }, [1, 2],
    ];
    for (const body of bad) {
      const res = await s.request('POST', '/api/models', body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.ok(Array.isArray(res.body.error.details.errors));
    }
    assert.equal((await s.request('GET', '/api/models')).body.page.total, 0);
  } finally {
    await s.close();
  }
});

test('GET /api/models filters by q and provider, sorts and pages', async () => {
  const s = await startTestServer();
  try {
    await s.request('POST', '/api/models', { name: 'Claude fast', provider: 'anthropic', model: 'a' });
    await s.request('POST', '/api/models', { name: 'gpt fast', provider: 'openai', model: 'b' });
    await s.request('POST', '/api/models', scriptedModel('demo'));
    assert.deepEqual((await s.request('GET', '/api/models?q=FAST')).body.data.map((m: { name: string }) => m.name), ['Claude fast', 'gpt fast']);
    assert.deepEqual((await s.request('GET', '/api/models?provider=scripted')).body.data.map((m: { name: string }) => m.name), ['demo']);
    const sorted = await s.request('GET', '/api/models?sort=provider&order=desc&per_page=1');
    assert.equal(sorted.body.data[0].provider, 'scripted');
    assert.deepEqual(sorted.body.page, { page: 1, per_page: 1, total: 3 });
    assert.equal((await s.request('GET', '/api/models?sort=created')).status, 400);
  } finally {
    await s.close();
  }
});

test('deleting a model used by a flowchart is 409 conflict listing the flowcharts', async () => {
  const s = await startTestServer();
  try {
    const m = (await s.request('POST', '/api/models', scriptedModel('m1'))).body.data;
    const f = (await s.request('POST', '/api/flowcharts', validDoc('Uses m1', 'm1'))).body.data;
    const res = await s.request('DELETE', `/api/models/${m.id}`);
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'conflict');
    assert.deepEqual(res.body.error.details.flowcharts, [{ id: f.id, name: 'Uses m1' }]);
    assert.equal((await s.request('GET', `/api/models/${m.id}`)).status, 200);
  } finally {
    await s.close();
  }
});

test('malformed model ids are 404 not_found', async () => {
  const s = await startTestServer();
  try {
    for (const id of ['x', 'mdl_', 'fc_01aaaaaaaaaaaaaaaaaaaaaaaa', 'mdl_%00', 'mdl_01aaaaaaaaaaaaaaaaaaaaaaaa']) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = await s.request(method, `/api/models/${id}`, method === 'PUT' ? { name: 'x' } : undefined);
        assert.equal(res.status, 404, `${method} ${id}`);
        assert.equal(res.body.error.code, 'not_found');
      }
    }
  } finally {
    await s.close();
  }
});
