import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HANDBOOK, SPECIAL_FLOWCHART, SPECIAL_INPUT, TRIAGE_BOT_RESPONSES } from '../../../packages/runtime/test/support/special-flowchart.ts';
import { startTestServer } from './support/test-server.ts';
import { finishedRun } from './support/realtime.ts';

/** Every paged list of api.md (the event log is cursor-paged and not one of them). */
const LISTS = ['/api/flowcharts', '/api/models', '/api/runs', '/api/memories', '/api/plans', '/api/milestones', '/api/rag/collections'];

test('every list endpoint takes q, sort, order, page and per_page the same way', async (t) => {
  const s = await startTestServer();
  try {
    // Something in every list: the special-node flowchart writes memories, plans and milestones.
    assert.equal((await s.request('POST', '/api/models', { name: 'triage-bot', provider: 'scripted', settings: { responses: TRIAGE_BOT_RESPONSES } })).status, 201);
    assert.equal((await s.request('POST', '/api/rag/collections', { name: HANDBOOK.collection })).status, 201);
    assert.equal((await s.request('POST', `/api/rag/collections/${HANDBOOK.collection}/documents`, HANDBOOK.document)).status, 201);
    const fc = (await s.request('POST', '/api/flowcharts', SPECIAL_FLOWCHART)).body.data;
    const started = await s.request('POST', `/api/flowcharts/${fc.id}/runs`, { input: SPECIAL_INPUT });
    const run = await finishedRun(s, started.body.data.id);
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));

    // Wildcard characters are literal, and still match where they really occur (run ids contain "_").
    assert.equal((await s.request('GET', `/api/runs?q=${encodeURIComponent(run.id.slice(0, 6))}`)).body.page.total, 1);
    const docs = (await s.request('GET', '/api/openapi.json')).body;
    for (const list of LISTS) {
      await t.test(`${list}`, async () => {
        const params = (docs.paths[list].get.parameters as { name: string; in: string; schema: { enum?: string[] } }[]).filter((p) => p.in === 'query');
        assert.deepEqual(['q', 'sort', 'order', 'page', 'per_page'].filter((n) => !params.some((p) => p.name === n)), [], 'documented list parameters');
        const sorts = params.find((p) => p.name === 'sort')!.schema.enum!;

        const all = await s.request('GET', list);
        assert.equal(all.status, 200);
        assert.ok(all.body.page.total >= 1, 'the list is empty; the checks below would prove nothing');
        assert.deepEqual(all.body.page, { page: 1, per_page: 20, total: all.body.page.total });

        const one = await s.request('GET', `${list}?page=1&per_page=1`);
        assert.deepEqual(one.body.page, { page: 1, per_page: 1, total: all.body.page.total });
        assert.equal(one.body.data.length, 1);
        const beyond = await s.request('GET', `${list}?page=999&per_page=100`);
        assert.deepEqual(beyond.body.data, []);

        for (const sort of sorts) {
          const asc = await s.request('GET', `${list}?sort=${sort}&order=asc&per_page=100`);
          const desc = await s.request('GET', `${list}?sort=${sort}&order=desc&per_page=100`);
          assert.equal(asc.status, 200, `sort=${sort}`);
          assert.equal(desc.status, 200, `sort=${sort}`);
          assert.equal(asc.body.data.length, desc.body.data.length);
        }
        // q is a literal, case-insensitive substring: LIKE wildcards match nothing special.
        for (const q of ['%', '\\%', '%%']) {
          const r = await s.request('GET', `${list}?q=${encodeURIComponent(q)}`);
          assert.equal(r.status, 200);
          assert.equal(r.body.page.total, 0, `q=${q} matched ${r.body.page.total} rows`);
        }
        for (const bad of ['sort=bogus', 'order=sideways', 'page=0', 'per_page=101', 'per_page=x']) {
          const r = await s.request('GET', `${list}?${bad}`);
          assert.equal(r.status, 400, `${list}?${bad}`);
          assert.equal(r.body.error.code, 'validation_failed');
        }
      });
    }
  } finally {
    await s.close();
  }
});
