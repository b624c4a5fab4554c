import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './support/test-server.ts';

test('GET /api/runs?cursor= pages by keyset: next_cursor continues the list, the last page has null, page numbers agree', async () => {
  const s = await startTestServer();
  try {
    const fc = await s.request('POST', '/api/flowcharts', { schema_version: 1, name: 'c', nodes: [{ id: 's', type: 'start' }, { id: 'e', type: 'end' }], edges: [{ id: 'e1', source: 's', target: 'e' }] });
    assert.equal(fc.status, 201, fc.text);
    await s.db.pool.query(
      `INSERT INTO runs (id, flowchart_id, flowchart_version, status, created_at)
       SELECT 'run_' || lpad(g::text, 26, '0'), $1, 1, 'succeeded', now() - g * interval '1 second' FROM generate_series(1, 7) AS g`, [fc.body.data.id]);
    const plain = await s.request('GET', '/api/runs?per_page=3');
    assert.deepEqual(Object.keys(plain.body.page).sort(), ['page', 'per_page', 'total'], 'no cursor asked: the api.md page shape');
    const seen: string[] = [];
    let path = '/api/runs?per_page=3&cursor=';
    for (let i = 0; i < 3; i += 1) {
      const r = await s.request('GET', path);
      assert.equal(r.status, 200, r.text);
      seen.push(...r.body.data.map((x: { id: string }) => x.id));
      if (i < 2) path = `/api/runs?per_page=3&cursor=${encodeURIComponent(r.body.page.next_cursor)}`;
      else assert.equal(r.body.page.next_cursor, null);
    }
    const numbered: string[] = [];
    for (const p of [1, 2, 3]) numbered.push(...(await s.request('GET', `/api/runs?per_page=3&page=${p}`)).body.data.map((x: { id: string }) => x.id));
    assert.deepEqual(seen, numbered);
    const bad = await s.request('GET', '/api/runs?cursor=bogus');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'validation_failed');
  } finally {
    await s.close();
  }
});
