import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './support/test-server.ts';
import { scriptedModel } from './support/documents.ts';

test('a repeated mutation with the same Idempotency-Key and body returns the first response once', async () => {
  const s = await startTestServer();
  try {
    const first = await s.request('POST', '/api/models', scriptedModel('once'), { 'idempotency-key': 'k-1' });
    const again = await s.request('POST', '/api/models', scriptedModel('once'), { 'idempotency-key': 'k-1' });
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.deepEqual(again.body.data, first.body.data);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal((await s.request('GET', '/api/models')).body.page.total, 1);
  } finally {
    await s.close();
  }
});

test('the same Idempotency-Key with another body is 409 idempotency_key_reused', async () => {
  const s = await startTestServer();
  try {
    await s.request('POST', '/api/models', scriptedModel('a'), { 'idempotency-key': 'k-2' });
    const res = await s.request('POST', '/api/models', scriptedModel('b'), { 'idempotency-key': 'k-2' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'idempotency_key_reused');
    assert.equal((await s.request('GET', '/api/models')).body.page.total, 1);
  } finally {
    await s.close();
  }
});
