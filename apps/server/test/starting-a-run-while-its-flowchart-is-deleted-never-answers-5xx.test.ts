import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './support/test-server.ts';

// Issue 13, defect 11: a start racing the delete of its flowchart hit the runs → flowcharts foreign key (500).
test('starting a run while its flowchart is deleted answers 201, 404 or 409, never 5xx (40 interleaved pairs)', { timeout: 120_000 }, async () => {
  const server = await startTestServer();
  try {
    const seen = new Map<string, number>();
    const doc = { schema_version: 1, name: 'race', nodes: [{ id: 's', type: 'start' }, { id: 'z', type: 'end' }], edges: [{ id: 'e1', source: 's', target: 'z' }] };
    for (let i = 0; i < 40; i++) {
      const fc = await server.request('POST', '/api/flowcharts', { ...doc, name: `race ${i}` });
      assert.equal(fc.status, 201);
      const id = fc.body.data.id as string;
      // Alternate which request leaves first so both orders are exercised.
      const start = () => server.request('POST', `/api/flowcharts/${id}/runs`, { input: { i } });
      const del = () => server.request('DELETE', `/api/flowcharts/${id}`);
      const [s, d] = i % 2 === 0 ? await Promise.all([start(), del()]) : (await Promise.all([del(), start()])).reverse();
      for (const [what, r, allowed] of [['start', s!, [201, 404, 409]], ['delete', d!, [200, 404, 409]]] as const) {
        assert.ok((allowed as readonly number[]).includes(r.status), `${what} #${i} answered ${r.status}: ${r.text.slice(0, 300)}`);
        assert.equal(typeof r.body.ok, 'boolean', `${what} #${i} did not answer an envelope`);
        if (r.status >= 400) assert.ok(['not_found', 'conflict'].includes(r.body.error.code), `${what} #${i}: ${r.text}`);
        seen.set(`${what} ${r.status}`, (seen.get(`${what} ${r.status}`) ?? 0) + 1);
      }
    }
    // Both outcomes of the race happened at least once in 40 tries is likely but not guaranteed: report only.
    process.stdout.write(`# outcomes: ${JSON.stringify(Object.fromEntries(seen))}\n`);
  } finally {
    await server.close();
  }
});
