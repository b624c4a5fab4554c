import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './support/test-server.ts';

test('GET /api/health is 200 with database and executor status once the database is migrated', async () => {
  const s = await startTestServer();
  try {
    const res = await s.request('GET', '/api/health');
    assert.equal(res.status, 200);
    assert.equal(res.body.ok, true);
    assert.equal(res.body.data.status, 'ok');
    assert.deepEqual({ embedded: res.body.data.database.embedded, ok: res.body.data.database.ok }, { embedded: false, ok: true });
    assert.deepEqual(res.body.data.database.migrations.pending, []);
    assert.equal(res.body.data.executor.backend, 'inline');
    assert.equal(res.body.data.executor.ok, true);
  } finally {
    await s.close();
  }
});

test('GET /api/health is 503 unavailable while a migration is pending', async () => {
  const s = await startTestServer();
  try {
    await s.db.pool.query("DELETE FROM schema_migrations WHERE name = '0001_initial.sql'");
    const res = await s.request('GET', '/api/health');
    assert.equal(res.status, 503);
    assert.equal(res.body.ok, false);
    assert.equal(res.body.error.code, 'unavailable');
    assert.equal(res.body.error.retryable, true);
    assert.deepEqual(res.body.error.details.database.migrations.pending, ['0001_initial.sql']);
  } finally {
    await s.close();
  }
});

test('GET /api/health reports the executor status the runtime plugs in', async () => {
  const s = await startTestServer({ executorStatus: async () => ({ backend: 'queue', ok: true, workers: 3 }) });
  try {
    const res = await s.request('GET', '/api/health');
    assert.deepEqual(res.body.data.executor, { backend: 'queue', ok: true, workers: 3 });
  } finally {
    await s.close();
  }
});
