import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPeerServer, startTestServer, type PeerServer } from './support/test-server.ts';
import { waitForLogged } from './support/realtime.ts';

// Issue 18: `?wait_s=` on a run another process executes waited by polling the database twice a second. It now
// waits for that process's commit signal (LISTEN/NOTIFY): it answers when the run settles, reading the run only when
// a commit of that run was signalled.
test('wait_s on a run owned by another server answers when that server settles it, without polling the runs table', async () => {
  const a = await startTestServer();
  let b: PeerServer | undefined;
  try {
    b = await startPeerServer(a);
    const urlB = b.url;
    const dbB = b.db;
    assert.equal((await a.request('POST', '/api/models', { name: 'held', provider: 'scripted', settings: { responses: [{ output: 'late', delay_ms: 600_000 }] } })).status, 201);
    const fc = (await a.request('POST', '/api/flowcharts', {
      schema_version: 1, name: 'Held',
      nodes: [{ id: 'start', type: 'start' }, { id: 'ask', type: 'task', config: { model: 'held', prompt: 'wait' } }, { id: 'done', type: 'end' }],
      edges: [{ id: 'e1', source: 'start', target: 'ask' }, { id: 'e2', source: 'ask', target: 'done' }],
    })).body.data.id as string;
    const runId = (await a.request('POST', `/api/flowcharts/${fc}/runs`, { input: {} })).body.data.id as string;
    await waitForLogged(a, runId, 3);

    let runReads = 0;
    const original = dbB.pool.query.bind(dbB.pool) as (...args: unknown[]) => unknown;
    (dbB.pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && /FROM runs\b/.test(args[0])) runReads += 1;
      return original(...args);
    };
    const waiting = fetch(`${urlB}/api/runs/${runId}?wait_s=60`).then((r) => r.json() as Promise<{ data: { status: string } }>);
    // The model holds the run until it is canceled; a polling wait would read the run every 500 ms meanwhile.
    await new Promise((r) => setTimeout(r, 1500));
    const readsWhileHeld = runReads;
    assert.equal((await a.request('POST', `/api/runs/${runId}/control`, { action: 'cancel' })).status, 200);
    const answered = await waiting;
    assert.equal(answered.data.status, 'canceled');
    assert.ok(readsWhileHeld <= 3, `B read the run ${readsWhileHeld} times while nothing happened (polling)`);
    assert.ok(runReads - readsWhileHeld <= 12, `B read the run ${runReads - readsWhileHeld} times for a handful of commits`);
  } finally {
    await b?.close();
    await a.close();
  }
});
