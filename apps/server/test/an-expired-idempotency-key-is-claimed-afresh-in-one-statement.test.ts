/**
 * Keys are remembered for 24 hours: after that, the same key is a new request (even with another body). The claim is
 * one statement (the expired row is taken over by the INSERT … ON CONFLICT … WHERE expired), not a DELETE then an INSERT.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './support/test-server.ts';
import { scriptedModel } from './support/documents.ts';

test('an Idempotency-Key older than 24 hours runs the request again; a fresh one replays; a claim is one statement', async () => {
  const s = await startTestServer();
  try {
    const first = await s.request('POST', '/api/models', scriptedModel('old'), { 'idempotency-key': 'k-exp' });
    assert.equal(first.status, 201);
    await s.db.pool.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'k-exp'`);

    const statements: string[] = [];
    const pool = s.db.pool as unknown as { query: (...a: unknown[]) => Promise<unknown> };
    const query = pool.query.bind(s.db.pool);
    pool.query = (...a: unknown[]) => {
      if (typeof a[0] === 'string' && a[0].includes('idempotency_keys')) statements.push(a[0]);
      return query(...a);
    };
    const again = await s.request('POST', '/api/models', scriptedModel('new'), { 'idempotency-key': 'k-exp' });
    pool.query = query;
    assert.equal(again.status, 201, 'expired: a new request, not idempotency_key_reused');
    assert.equal(again.headers.get('idempotent-replayed'), null);
    assert.equal(again.body.data.name, 'new');
    assert.equal(statements.length, 2, `claim + response record, got: ${statements.map((q) => q.trim().split(/\s+/).slice(0, 3).join(' ')).join('; ')}`);

    const replay = await s.request('POST', '/api/models', scriptedModel('new'), { 'idempotency-key': 'k-exp' });
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(replay.body.data, again.body.data);
    const other = await s.request('POST', '/api/models', scriptedModel('other'), { 'idempotency-key': 'k-exp' });
    assert.equal(other.status, 409);
    assert.equal(other.body.error.code, 'idempotency_key_reused');
  } finally {
    await s.close();
  }
});
