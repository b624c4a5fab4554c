import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '@llmctl/store';
import type { ConfigEvent } from '@llmctl/server';
import { startTestServer } from './support/test-server.ts';
import { scriptedModel, validDoc } from './support/documents.ts';

test('POST /api/flowcharts creates version 1 (201) and GET returns it', async () => {
  const s = await startTestServer();
  try {
    await s.request('POST', '/api/models', scriptedModel());
    const created = await s.request('POST', '/api/flowcharts', validDoc('Greeter'));
    assert.equal(created.status, 201, created.text);
    const f = created.body.data;
    assert.match(f.id, /^fc_/);
    assert.equal(f.version, 1);
    assert.equal(f.name, 'Greeter');
    assert.deepEqual(f.warnings, []);
    const got = await s.request('GET', `/api/flowcharts/${f.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body.data, f);
  } finally {
    await s.close();
  }
});

test('an invalid document is 422 flowchart_invalid with details.errors and warnings, and nothing is saved', async () => {
  const s = await startTestServer();
  try {
    const doc = validDoc();
    doc.nodes.push({ id: 'start', type: 'start' });
    const res = await s.request('POST', '/api/flowcharts', doc);
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, 'flowchart_invalid');
    assert.ok(Array.isArray(res.body.error.details.errors) && res.body.error.details.errors.length > 0);
    assert.ok(Array.isArray(res.body.error.details.warnings));
    const codes = res.body.error.details.errors.map((e: { code: string }) => e.code);
    assert.ok(codes.includes('model_unknown'), 'the model is checked against the registry');
    assert.equal((await s.request('GET', '/api/flowcharts')).body.page.total, 0);
  } finally {
    await s.close();
  }
});

test('documents of the wrong type are refused with coded 4xx errors', async () => {
  const s = await startTestServer();
  try {
    for (const body of [[], '"text"', '42', 'null', { schema_version: '1', name: 5, nodes: {}, edges: 'x' }]) {
      const res = await s.request('POST', '/api/flowcharts', typeof body === 'string' ? body : body);
      assert.ok(res.status === 422 || res.status === 400, `${JSON.stringify(body)} → ${res.status}`);
      assert.ok(['flowchart_invalid', 'validation_failed'].includes(res.body.error.code));
    }
    const empty = await s.request('POST', '/api/flowcharts', '');
    assert.equal(empty.status, 400);
    assert.equal(empty.body.error.code, 'validation_failed');
  } finally {
    await s.close();
  }
});

test('POST /api/flowcharts/validate reports errors and warnings without saving', async () => {
  const s = await startTestServer();
  try {
    await s.request('POST', '/api/models', scriptedModel());
    const ok = await s.request('POST', '/api/flowcharts/validate', validDoc());
    assert.deepEqual(ok.body.data, { valid: true, errors: [], warnings: [] });
    const bad = await s.request('POST', '/api/flowcharts/validate', { document: { ...validDoc(), nodes: [] } });
    assert.equal(bad.status, 200);
    assert.equal(bad.body.data.valid, false);
    assert.ok(bad.body.data.errors.length > 0);
    assert.equal((await s.request('GET', '/api/flowcharts')).body.page.total, 0);
  } finally {
    await s.close();
  }
});

test('PUT saves a new version; ?version=N reads an older one; versions lists the history', async () => {
  const events: ConfigEvent[] = [];
  const s = await startTestServer({ onEvent: (e) => events.push(e) });
  try {
    await s.request('POST', '/api/models', scriptedModel());
    const f = (await s.request('POST', '/api/flowcharts', validDoc('v one'))).body.data;
    const put = await s.request('PUT', `/api/flowcharts/${f.id}`, { document: validDoc('v two') });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.data.version, 2);
    assert.equal((await s.request('GET', `/api/flowcharts/${f.id}`)).body.data.name, 'v two');
    assert.equal((await s.request('GET', `/api/flowcharts/${f.id}?version=1`)).body.data.name, 'v one');
    const versions = await s.request('GET', `/api/flowcharts/${f.id}/versions`);
    assert.deepEqual(versions.body.data.map((v: { version: number }) => v.version), [2, 1]);
    assert.deepEqual(versions.body.page, { page: 1, per_page: 20, total: 2 });
    assert.equal((await s.request('GET', `/api/flowcharts/${f.id}?version=3`)).status, 404);
    for (const bad of ['0', '-1', 'abc', '1.5', '99999999999']) {
      const res = await s.request('GET', `/api/flowcharts/${f.id}?version=${bad}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.error.code, 'validation_failed');
    }
    const invalid = await s.request('PUT', `/api/flowcharts/${f.id}`, { ...validDoc(), edges: [{ id: 'x', source: 'nope', target: 'done' }] });
    assert.equal(invalid.status, 422);
    assert.equal((await s.request('GET', `/api/flowcharts/${f.id}`)).body.data.version, 2);
    assert.deepEqual(events.filter((e) => e.flowchart_id).map((e) => [e.event_type, e.payload.action]), [
      ['flowchart:definition:updated', 'created'], ['flowchart:definition:updated', 'updated'],
    ]);
  } finally {
    await s.close();
  }
});

test('GET /api/flowcharts searches, sorts and pages, and rejects bad parameters with 400', async () => {
  const s = await startTestServer();
  try {
    await s.request('POST', '/api/models', scriptedModel());
    for (const name of ['Alpha', 'beta triage', 'Gamma Triage']) await s.request('POST', '/api/flowcharts', validDoc(name));
    const hits = await s.request('GET', '/api/flowcharts?q=TRIAGE&sort=name&order=asc');
    assert.deepEqual(hits.body.data.map((f: { name: string }) => f.name), ['beta triage', 'Gamma Triage']);
    assert.deepEqual(hits.body.page, { page: 1, per_page: 20, total: 2 });
    const paged = await s.request('GET', '/api/flowcharts?sort=name&per_page=2&page=2');
    assert.deepEqual(paged.body.data.map((f: { name: string }) => f.name), ['Gamma Triage']);
    for (const qs of ['sort=bogus', 'order=sideways', 'page=0', 'per_page=101', 'per_page=x', 'page=1&page=2']) {
      const res = await s.request('GET', `/api/flowcharts?${qs}`);
      assert.equal(res.status, 400, qs);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.ok(Array.isArray(res.body.error.details.errors));
    }
  } finally {
    await s.close();
  }
});

test('malformed and unknown flowchart ids are 404 not_found on every route', async () => {
  const s = await startTestServer();
  try {
    const ids = ['nope', 'fc_', '..%2F..%2Fetc', 'fc_ABCDEFGHIJKLMNOPQRSTUVWXYZ', `fc_${'a'.repeat(90)}`, "fc_1'%20OR%201=1", '%00', newId('fc')];
    for (const id of ids) {
      for (const [method, suffix, body] of [['GET', ''], ['PUT', '', validDoc()], ['DELETE', ''], ['GET', '/versions']] as const) {
        const res = await s.request(method, `/api/flowcharts/${id}${suffix}`, body);
        assert.equal(res.status, 404, `${method} ${id}${suffix}: ${res.text}`);
        assert.equal(res.body.error.code, 'not_found');
      }
    }
  } finally {
    await s.close();
  }
});

test('DELETE is refused with 409 conflict while a run is active, then deletes', async () => {
  const s = await startTestServer();
  try {
    await s.request('POST', '/api/models', scriptedModel());
    const f = (await s.request('POST', '/api/flowcharts', validDoc())).body.data;
    const runId = newId('run');
    await s.db.pool.query("INSERT INTO runs (id, flowchart_id, flowchart_version, status) VALUES ($1, $2, 1, 'running')", [runId, f.id]);
    const refused = await s.request('DELETE', `/api/flowcharts/${f.id}`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'conflict');
    assert.deepEqual(refused.body.error.details.active_runs, [{ id: runId, status: 'running' }]);
    await s.db.pool.query("UPDATE runs SET status = 'canceled' WHERE id = $1", [runId]);
    const deleted = await s.request('DELETE', `/api/flowcharts/${f.id}`);
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body.data, { id: f.id, deleted: true });
    assert.equal((await s.request('GET', `/api/flowcharts/${f.id}`)).status, 404);
  } finally {
    await s.close();
  }
});
