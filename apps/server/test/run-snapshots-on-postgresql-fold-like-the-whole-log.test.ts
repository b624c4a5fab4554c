import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvent, initialState } from '@llmctl/engine';
import { foldLog, SNAPSHOT_FORMAT } from '@llmctl/runtime';
import { PgRunStore } from '@llmctl/store';
import { startTestServer } from './support/test-server.ts';
import { scriptedModel } from './support/documents.ts';

test('PostgreSQL keeps the newest snapshots of a long run in its commits (spaced as the state grows), and folding from them equals folding the whole log', async () => {
  const s = await startTestServer({ config: { snapshotEvery: 50 } });
  try {
    assert.equal((await s.request('POST', '/api/models', scriptedModel('m1'))).status, 201);
    const doc = {
      schema_version: 1, name: 'Loop',
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'work', type: 'task', config: { model: 'm1', prompt: 'again' } },
        { id: 'check', type: 'task', config: { model: 'm1', prompt: 'check' } },
        { id: 'done', type: 'end' },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'work' },
        { id: 'e2', source: 'work', target: 'check' },
        { id: 'e3', source: 'check', target: 'work', condition: 'node.iteration < 30' },
        { id: 'e4', source: 'check', target: 'done', condition: 'node.iteration >= 30' },
      ],
    };
    const fc = await s.request('POST', '/api/flowcharts', doc);
    assert.equal(fc.status, 201, fc.text);
    const runId = (await s.request('POST', `/api/flowcharts/${fc.body.data.id}/runs`, { input: {} })).body.data.id as string;
    const run = (await s.request('GET', `/api/runs/${runId}?wait_s=60`)).body.data;
    assert.equal(run.status, 'succeeded');
    const rows = (await s.db.pool.query<{ sequence: string; format: number }>(
      "SELECT sequence, (state->>'format')::int AS format FROM run_snapshots WHERE run_id = $1 ORDER BY sequence", [runId])).rows;
    assert.ok(rows.length >= 2 && rows.length <= 4, `2 to 4 snapshots kept (the newest four at most), got ${rows.length}`);
    const seqs = rows.map((r) => Number(r.sequence));
    for (let i = 1; i < seqs.length; i += 1) assert.ok(seqs[i]! - seqs[i - 1]! >= 50, `snapshots ${seqs[i - 1]} and ${seqs[i]} are closer than 50 events`);
    assert.ok(rows.every((r) => r.format === SNAPSHOT_FORMAT));
    const store = new PgRunStore(s.db.pool);
    const full = initialState(runId);
    for (const e of await store.loadEvents(runId, 0, 100_000)) applyEvent(full, e.payload);
    assert.deepEqual(await foldLog(store, runId), full);
    const snap = await store.loadSnapshot(runId, Number(rows[1]!.sequence) + 2);
    assert.equal(snap?.sequence, Number(rows[1]!.sequence));
  } finally {
    await s.close();
  }
});
