import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAgainst, type EventEnvelope } from '@llmctl/contracts';
import { startTestServer } from './support/test-server.ts';
import { scriptedModel, validDoc } from './support/documents.ts';
import { collect, connectRealtime, subscribe } from './support/realtime.ts';

// api.md: "GET /api/runs/:id/events returns events in this same envelope" as the socket — a client that catches up
// over REST and then listens live deduplicates both by idempotency_key.
test('GET /api/runs/:id/events answers the realtime envelope: same event ids, keys, rooms and payloads as the socket', async () => {
  const s = await startTestServer();
  const socket = await connectRealtime(s.url);
  try {
    assert.equal((await s.request('POST', '/api/models', scriptedModel('m1'))).status, 201);
    const fc = (await s.request('POST', '/api/flowcharts', validDoc('Envelope', 'm1'))).body.data.id as string;
    const live = collect(socket);
    const ack = await subscribe(socket, { rooms: [`flowchart:${fc}`] });
    assert.equal(ack.ok, true);
    const runId = (await s.request('POST', `/api/flowcharts/${fc}/runs`, { input: { name: 'x' } })).body.data.id as string;
    const run = (await s.request('GET', `/api/runs/${runId}?wait_s=30`)).body.data;
    assert.equal(run.status, 'succeeded');
    const rest = (await s.request('GET', `/api/runs/${runId}/events?after_sequence=0&limit=1000`)).body.data as EventEnvelope[];
    assert.ok(rest.length >= 3);
    const logged = await live.until((es) => es.filter((e) => e.run_id === runId && e.sequence !== null).length >= rest.length);
    const socketBySeq = new Map(logged.filter((e) => e.run_id === runId && e.sequence !== null).map((e) => [e.sequence, e]));
    rest.forEach((e, i) => {
      assert.equal(validateAgainst('event-envelope', e).valid, true, JSON.stringify(validateAgainst('event-envelope', e)));
      assert.equal(e.sequence, i + 1);
      assert.equal(e.contract_version, 'v1');
      assert.equal(e.idempotency_key, `${runId}:${i + 1}`);
      assert.deepEqual(e.room_keys, [`run:${runId}`, `flowchart:${fc}`]);
      const { emitted_at: _a, ...restSide } = e;
      const { emitted_at: _b, ...socketSide } = socketBySeq.get(e.sequence)!;
      assert.deepEqual(restSide, socketSide, `event #${e.sequence} differs between REST and the socket`);
    });
  } finally {
    socket.close();
    await s.close();
  }
});
