import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPeerServer, startTestServer, type PeerServer } from './support/test-server.ts';
import { collect, connectRealtime, finishedRun, range, seedSlowFlowchart, sequencesOf, startRun, subscribe, waitForLogged } from './support/realtime.ts';

test('a client of server B sees every event of a run that server A executes, and A\'s config and token events', async () => {
  const a = await startTestServer();
  // Server B: another app with its own orchestrator and realtime layer on the same database (as a second process would).
  let peer: PeerServer | undefined;
  try {
    peer = await startPeerServer(a);
    const b = peer.app;
    const urlB = peer.url;
    const flowchartId = await seedSlowFlowchart(a, { tasks: 3, delayMs: 80 });

    const roomWatcher = await connectRealtime(urlB);
    const runWatcher = await connectRealtime(urlB);
    try {
      const fromRoom = collect(roomWatcher);
      const fromRun = collect(runWatcher);
      assert.equal((await subscribe(roomWatcher, { rooms: [`flowchart:${flowchartId}`] })).ok, true);

      const executedOnB: string[] = [];
      b.orchestrator.bus.onEvent((e) => executedOnB.push(e.run_id));
      const runId = await startRun(a, flowchartId);
      await waitForLogged(a, runId, 3);
      const ack = await subscribe(runWatcher, { rooms: [`run:${runId}`], after_sequence: 0 });
      assert.equal(ack.ok, true);
      const run = await finishedRun(a, runId);
      assert.equal(run.status, 'succeeded');
      assert.equal(executedOnB.filter((id) => id === runId).length, 0, 'B executed the run: this test needs A to');

      await fromRun.until((evs) => sequencesOf(evs, runId).includes(run.last_sequence));
      await fromRoom.until((evs) => sequencesOf(evs, runId).includes(run.last_sequence));
      assert.deepEqual(sequencesOf(fromRun.events, runId), range(1, run.last_sequence));
      assert.deepEqual(sequencesOf(fromRoom.events, runId), range(1, run.last_sequence));
      // Token streaming of A's model calls is relayed to B too.
      await fromRoom.until((evs) => evs.some((e) => e.event_type === 'flowchart:node:token'));

      const model = (await a.request('GET', '/api/models?q=slow-model')).body.data[0];
      assert.equal((await a.request('PUT', `/api/models/${model.id}`, { settings: { responses: [{ output: 'changed' }] } })).status, 200);
      const updates = (await fromRoom.until((evs) => evs.some((e) => e.event_type === 'config:model:updated'))).filter((e) => e.event_type === 'config:model:updated');
      assert.equal(updates.length, 1);
      assert.equal((updates[0]!.payload as { model: { id: string } }).model.id, model.id);
    } finally {
      roomWatcher.close();
      runWatcher.close();
    }
  } finally {
    await peer?.close();
    await a.close();
  }
});
