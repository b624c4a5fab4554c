import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './support/test-server.ts';
import { collect, connectRealtime, finishedRun, range, sequencesOf, subscribe } from './support/realtime.ts';

test('a subscriber sees every event of a 200-wide fan-out run exactly once, in order', async () => {
  const s = await startTestServer();
  try {
    await s.request('POST', '/api/models', { name: 'q', provider: 'scripted', model: 'scripted', settings: { responses: [{ output: 'x' }] } });
    const N = 200;
    const ids = Array.from({ length: N }, (_, i) => `t${i}`);
    const doc = { schema_version: 1, name: 'wide', settings: { max_node_executions: 5000 }, nodes: [{ id: 's', type: 'start' }, ...ids.map((id) => ({ id, type: 'task', config: { model: 'q', prompt: id } })), { id: 'z', type: 'end' }], edges: [...ids.map((id) => ({ id: `a${id}`, source: 's', target: id })), ...ids.map((id) => ({ id: `b${id}`, source: id, target: 'z' }))] };
    const fc = await s.request('POST', '/api/flowcharts', doc);
    const socket = await connectRealtime(s.url);
    const got = collect(socket);
    const r = await s.request('POST', `/api/flowcharts/${fc.body.data.id}/runs`, { input: {} });
    const runId = r.body.data.id;
    const ack = await subscribe(socket, { rooms: [`run:${runId}`], after_sequence: 0 });
    assert.equal(ack.ok, true);
    const run = await finishedRun(s, runId);
    await got.until((evs) => sequencesOf(evs, runId).includes(run.last_sequence)).catch(() => undefined);
    const seqs = sequencesOf(got.events, runId);
    assert.equal(new Set(seqs).size, seqs.length, 'duplicates');
    assert.deepEqual(seqs, range(1, run.last_sequence));
    socket.close();
  } finally { await s.close(); }
});
