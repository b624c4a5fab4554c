import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pgTimestampToIso } from '@llmctl/store';
import { openTestPool } from './support/test-pool.ts';

test('bigint columns parse to numbers and timestamptz to ISO 8601 UTC strings', async () => {
  const db = await openTestPool({ migrated: false });
  try {
    const r = await db.pool.query("SELECT 42::bigint AS n, '2024-05-01 12:00:00.123456+02'::timestamptz AS t, now() AS now");
    assert.equal(r.rows[0].n, 42);
    assert.equal(r.rows[0].t, '2024-05-01T10:00:00.123Z');
    assert.match(r.rows[0].now, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  } finally {
    await db.close();
  }
});

test('pgTimestampToIso handles offsets with minutes and leaves infinity alone', () => {
  assert.equal(pgTimestampToIso('2020-01-01 00:00:00+05:30'), '2019-12-31T18:30:00.000Z');
  assert.equal(pgTimestampToIso('2020-01-01 00:00:00-03'), '2020-01-01T03:00:00.000Z');
  assert.equal(pgTimestampToIso('infinity'), 'infinity');
});
