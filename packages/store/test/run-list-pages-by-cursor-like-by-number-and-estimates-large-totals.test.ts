import { test } from 'node:test';
import pg from 'pg';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { ESTIMATE_TOTAL_ABOVE, FlowchartRepository, RunRepository, parseListParams, RUN_SORTS } from '../src/index.ts';

const params = (raw: Record<string, string>) => parseListParams(raw, { sorts: RUN_SORTS, defaultSort: 'created_at', defaultOrder: 'desc' });

test('run list: keyset cursors walk the same order as page numbers (ties on created_at included), and filters count exactly', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  try {
    const fc = await new FlowchartRepository(pool).create({ document: { schema_version: 1, name: 'r', nodes: [{ id: 's', type: 'start' }], edges: [] } as never });
    // 45 runs; groups of three share one created_at (microseconds included) to exercise the id tie-break.
    await pool.query(
      `INSERT INTO runs (id, flowchart_id, flowchart_version, status, created_at)
       SELECT 'run_' || lpad(g::text, 26, '0'), $1, 1, CASE WHEN g % 3 = 0 THEN 'failed' ELSE 'succeeded' END,
              timestamptz '2026-01-01 00:00:00.000001+00' + ((g / 3) * interval '1.000123 second')
       FROM generate_series(1, 45) AS g`, [fc.id]);
    const repo = new RunRepository(pool);
    for (const order of ['desc', 'asc']) {
      const byNumber: string[] = [];
      for (let page = 1; page <= 5; page += 1) byNumber.push(...(await repo.list({}, params({ per_page: '10', page: String(page), order }))).items.map((r) => r.id));
      const byCursor: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await repo.list({}, params({ per_page: '10', order }), cursor);
        byCursor.push(...res.items.map((r) => r.id));
        cursor = res.next_cursor ?? undefined;
        pages += 1;
        assert.equal(res.page.total, 45);
        assert.equal(res.total_estimated, false);
      } while (cursor);
      assert.equal(pages, 5);
      assert.equal(new Set(byCursor).size, 45);
      assert.deepEqual(byCursor, byNumber, `order ${order}`);
    }
    const failed = await repo.list({ status: 'failed' }, params({ per_page: '100' }));
    assert.equal(failed.page.total, 15);
    assert.equal(failed.next_cursor, null);
    await assert.rejects(repo.list({}, params({}), 'not-a-cursor'), /cursor is not a cursor/);
  } finally {
    await pool.end();
    await db.drop();
  }
});

test('run list: a list matching more than the count cap reports the planner estimate instead of counting every row', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  try {
    const fc = await new FlowchartRepository(pool).create({ document: { schema_version: 1, name: 'r', nodes: [{ id: 's', type: 'start' }], edges: [] } as never });
    const n = ESTIMATE_TOTAL_ABOVE + 5_000;
    await pool.query(`INSERT INTO runs (id, flowchart_id, flowchart_version, status) SELECT 'run_' || lpad(g::text, 26, '0'), $1, 1, 'succeeded' FROM generate_series(1, $2::int) AS g`, [fc.id, n]);
    await pool.query('ANALYZE runs');
    const repo = new RunRepository(pool);
    const all = await repo.list({}, params({}));
    assert.equal(all.total_estimated, true);
    assert.ok(Math.abs(all.page.total - n) / n < 0.1, `estimate ${all.page.total} far from ${n}`);
    const filtered = await repo.list({ flowchart_id: fc.id }, params({}));
    assert.equal(filtered.total_estimated, true, 'a large filtered list is estimated from the plan, not counted');
    assert.ok(Math.abs(filtered.page.total - n) / n < 0.1, `estimate ${filtered.page.total} far from ${n}`);
    const few = await repo.list({ status: 'failed' }, params({}));
    assert.deepEqual([few.page.total, few.total_estimated], [0, false]);
  } finally {
    await pool.end();
    await db.drop();
  }
});
