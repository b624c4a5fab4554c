import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '@llmctl/store';
import { buildApp, loadConfig } from '@llmctl/server';
import { startTestServer } from './support/test-server.ts';
import { scriptedModel } from './support/documents.ts';
import { finishedRun, seedSlowFlowchart } from './support/realtime.ts';

test('a key used on one server process is replayed by another (the ledger is in PostgreSQL), for run starts and control', async () => {
  const a = await startTestServer();
  const dbB = await openDatabase({ databaseUrl: a.db.url, poolMax: 3 });
  const b = await buildApp({ db: dbB, config: loadConfig({}, { logLevel: 'silent', studioDist: '/nonexistent-studio-dist', databaseUrl: a.db.url }) });
  try {
    const fc = await seedSlowFlowchart(a, { tasks: 2, delayMs: 300 });
    const key = { 'idempotency-key': 'start-once' };
    const first = await a.request('POST', `/api/flowcharts/${fc}/runs`, { input: { n: 1 } }, key);
    assert.equal(first.status, 201);
    const again = await b.inject({ method: 'POST', url: `/api/flowcharts/${fc}/runs`, payload: { input: { n: 1 } }, headers: key });
    assert.equal(again.statusCode, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.json().data.id, first.body.data.id);
    assert.equal((await a.request('GET', `/api/runs?flowchart_id=${fc}`)).body.page.total, 1);

    const runId = first.body.data.id;
    const cancel = { 'idempotency-key': 'cancel-once' };
    const c1 = await a.request('POST', `/api/runs/${runId}/control`, { action: 'cancel', reason: 'test' }, cancel);
    assert.equal(c1.status, 200);
    // Without the key a second cancel would be 409 invalid_transition; with it the first answer comes back.
    const c2 = await a.request('POST', `/api/runs/${runId}/control`, { action: 'cancel', reason: 'test' }, cancel);
    assert.equal(c2.status, 200);
    assert.deepEqual(c2.body, c1.body);
    assert.equal((await a.request('POST', `/api/runs/${runId}/control`, { action: 'cancel', reason: 'other' }, cancel)).body.error.code, 'idempotency_key_reused');
    await finishedRun(a, runId);

    const m = await a.request('POST', '/api/models', scriptedModel('doomed'));
    const del = { 'idempotency-key': 'delete-once' };
    assert.equal((await a.request('DELETE', `/api/models/${m.body.data.id}`, undefined, del)).status, 200);
    const del2 = await b.inject({ method: 'DELETE', url: `/api/models/${m.body.data.id}`, headers: del });
    assert.equal(del2.statusCode, 200, 'a replayed DELETE answers like the first, not 404');
    const put = { 'idempotency-key': 'put-once' };
    const doc = (await a.request('GET', `/api/flowcharts/${fc}`)).body.data.document;
    assert.equal((await a.request('PUT', `/api/flowcharts/${fc}`, doc, put)).status, 200);
    const reused = await a.request('PUT', `/api/flowcharts/${fc}`, { ...doc, description: 'changed' }, put);
    assert.equal(reused.status, 409);
    assert.equal(reused.body.error.code, 'idempotency_key_reused');
  } finally {
    await b.close();
    await dbB.close();
    await a.close();
  }
});

test('with auth on, two tokens using the same key do not share it', async () => {
  const t1 = 'tok-one-0123456789abcdefgh';
  const t2 = 'tok-two-0123456789abcdefgh';
  const s = await startTestServer({ config: { apiTokens: [t1, t2], rateLimit: null } });
  try {
    const k = 'same-key';
    const one = await s.request('POST', '/api/models', scriptedModel('by-one'), { authorization: `Bearer ${t1}`, 'idempotency-key': k });
    const two = await s.request('POST', '/api/models', scriptedModel('by-two'), { authorization: `Bearer ${t2}`, 'idempotency-key': k });
    assert.equal(one.status, 201);
    assert.equal(two.status, 201);
    assert.notEqual(one.body.data.id, two.body.data.id);
    const replay = await s.request('POST', '/api/models', scriptedModel('by-one'), { authorization: `Bearer ${t1}`, 'idempotency-key': k });
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  } finally {
    await s.close();
  }
});
