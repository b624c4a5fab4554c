/**
 * Context values stored once (issue 17, session 4), snapshots on PostgreSQL: a loop whose nodes get a large value
 * through context connectors on every iteration writes snapshots that hold no copy of it per context (only the
 * state's run input and the start node's token), and folding from the newest snapshot equals folding the whole log.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvent, initialState } from '@llmctl/engine';
import { foldLog } from '@llmctl/runtime';
import { PgRunStore } from '@llmctl/store';
import { startTestServer } from './support/test-server.ts';

const BIG = `ctx-${'k'.repeat(2000)}`;

test('snapshots keep context values by reference and fold like the whole log', async () => {
  const s = await startTestServer({ config: { snapshotEvery: 50 } });
  try {
    const doc = {
      schema_version: 1, name: 'Context loop',
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'work', type: 'decision', config: { mode: 'deterministic', match: 'first' } },
        { id: 'check', type: 'decision', config: { mode: 'deterministic', match: 'first' } },
        { id: 'done', type: 'end' },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'work' },
        { id: 'e2', source: 'work', target: 'check', fallback: true },
        { id: 'e3', source: 'check', target: 'work', condition: 'node.iteration < 30' },
        { id: 'e4', source: 'check', target: 'done', fallback: true },
        { id: 'c1', source: 'start', target: 'work', mode: 'context' },
        { id: 'c2', source: 'start', target: 'check', mode: 'context' },
        { id: 'c3', source: 'work', target: 'check', mode: 'context' },
      ],
    };
    const fc = await s.request('POST', '/api/flowcharts', doc);
    assert.equal(fc.status, 201, fc.text);
    const runId = (await s.request('POST', `/api/flowcharts/${fc.body.data.id}/runs`, { input: { text: BIG } })).body.data.id as string;
    const run = (await s.request('GET', `/api/runs/${runId}?wait_s=60`)).body.data;
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    const snaps = (await s.db.pool.query<{ text: string }>('SELECT state::text AS text FROM run_snapshots WHERE run_id = $1', [runId])).rows;
    assert.ok(snaps.length >= 1, 'the run wrote snapshots');
    // (the state's run input and the start node's token; each of the ~60 contexts refers to the start node run)
    for (const snap of snaps) assert.equal(snap.text.split(BIG).length - 1, 2, 'a snapshot holds the value twice, not once per context');

    const store = new PgRunStore(s.db.pool);
    const full = initialState(runId);
    for (const e of await store.loadEvents(runId, 0, 100_000)) applyEvent(full, e.payload);
    const check = Object.values(full.node_runs).filter((nr) => nr.node_id === 'check');
    assert.equal(check.length, 30);
    for (const nr of check) assert.deepEqual(nr.context!.start, { text: BIG });
    assert.deepEqual(await foldLog(store, runId), full);
  } finally {
    await s.close();
  }
});
