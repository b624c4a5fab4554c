import { test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { validateAgainst, type EventEnvelope } from '@llmctl/contracts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import {
  collect, connectRealtime, finishedRun, range, seedSlowFlowchart, sequencesOf, startRun, subscribe, waitForLogged,
} from './support/realtime.ts';

let s: TestServer;
let flowchartId: string;

function assertEnvelope(e: EventEnvelope, runId: string): void {
  const v = validateAgainst('event-envelope', e);
  assert.ok(v.valid, `${e.event_type}: ${JSON.stringify(v.errors)}`);
  if (e.sequence !== null) {
    assert.equal(e.idempotency_key, `${runId}:${e.sequence}`);
    assert.deepEqual(e.room_keys, [`run:${runId}`, `flowchart:${flowchartId}`]);
    assert.equal(e.flowchart_id, flowchartId);
  }
}

// One server for the file (subtests), with a slow scripted flowchart so runs are live while clients subscribe.
test('realtime over Socket.IO', async (t) => {
  s = await startTestServer();
  try {
    flowchartId = await seedSlowFlowchart(s, { tasks: 4, delayMs: 120 });
    await t.test('subscribe mid-run with after_sequence replays the log, then streams live events: every sequence once, in order', async () => {
      const runId = await startRun(s, flowchartId);
      await waitForLogged(s, runId, 4);
      const socket = await connectRealtime(s.url);
      try {
        const got = collect(socket);
        const ack = await subscribe(socket, { rooms: [`run:${runId}`], after_sequence: 2 });
        assert.equal(ack.ok, true, JSON.stringify(ack));
        assert.ok(ack.last_sequence >= 4);
        const run = await finishedRun(s, runId);
        assert.equal(run.status, 'succeeded');
        await got.until((evs) => sequencesOf(evs, runId).includes(run.last_sequence));
        assert.deepEqual(sequencesOf(got.events, runId), range(3, run.last_sequence));
        for (const e of got.events) assertEnvelope(e, runId);
        // The live part really was live: the run was still running when the subscription was acknowledged.
        assert.ok(run.last_sequence > ack.last_sequence, `nothing happened after the replay (${ack.last_sequence} of ${run.last_sequence})`);
      } finally {
        socket.close();
      }
    });

    await t.test('a client that disconnects mid-run and resubscribes from its last sequence sees a gap-free sequence', async () => {
      const runId = await startRun(s, flowchartId);
      const first = await connectRealtime(s.url);
      const seen: EventEnvelope[] = [];
      try {
        const got = collect(first);
        assert.equal((await subscribe(first, { rooms: [`run:${runId}`], after_sequence: 0 })).ok, true);
        await got.until((evs) => sequencesOf(evs, runId).length >= 3);
        first.disconnect();
        seen.push(...got.events);
      } finally {
        first.close();
      }
      const lastSeen = Math.max(...sequencesOf(seen, runId));
      // Events are committed while nobody listens.
      await waitForLogged(s, runId, lastSeen + 3);
      const second = await connectRealtime(s.url);
      try {
        const got = collect(second);
        const ack = await subscribe(second, { rooms: [`run:${runId}`], after_sequence: lastSeen });
        assert.equal(ack.ok, true);
        assert.ok(ack.replayed >= 3);
        const run = await finishedRun(s, runId);
        await got.until((evs) => sequencesOf(evs, runId).includes(run.last_sequence));
        const all = [...sequencesOf(seen, runId), ...sequencesOf(got.events, runId)];
        assert.deepEqual(all, range(1, run.last_sequence));
      } finally {
        second.close();
      }
    });

    await t.test('a flowchart room receives every event of its runs, token events, and definition updates', async () => {
      const socket = await connectRealtime(s.url);
      try {
        const got = collect(socket);
        assert.equal((await subscribe(socket, { rooms: [`flowchart:${flowchartId}`] })).ok, true);
        const runId = await startRun(s, flowchartId);
        const run = await finishedRun(s, runId);
        await got.until((evs) => sequencesOf(evs, runId).includes(run.last_sequence));
        assert.deepEqual(sequencesOf(got.events, runId), range(1, run.last_sequence));
        const tokens = got.events.filter((e) => e.event_type === 'flowchart:node:token');
        assert.ok(tokens.length > 0, 'no token events');
        for (const t of tokens) {
          assert.equal(t.sequence, null);
          assert.equal(t.run_id, runId);
          assertEnvelope(t, runId);
        }
        assert.equal(new Set(tokens.map((t) => t.idempotency_key)).size, tokens.length);

        const current = await s.request('GET', `/api/flowcharts/${flowchartId}`);
        assert.equal((await s.request('PUT', `/api/flowcharts/${flowchartId}`, current.body.data.document)).status, 200);
        const [def] = (await got.until((evs) => evs.some((e) => e.event_type === 'flowchart:definition:updated'))).filter((e) => e.event_type === 'flowchart:definition:updated');
        assert.equal(def!.flowchart_id, flowchartId);
        assert.equal(def!.sequence, null);
        assert.equal(def!.run_id, null);
        assert.deepEqual(def!.room_keys, [`flowchart:${flowchartId}`]);
        assert.match(def!.idempotency_key, new RegExp(`^flowchart:${flowchartId}:`));
        assert.ok(validateAgainst('event-envelope', def).valid);
      } finally {
        socket.close();
      }
    });

    await t.test('model changes reach every connected socket without a subscription', async () => {
      const socket = await connectRealtime(s.url);
      try {
        const got = collect(socket);
        const created = await s.request('POST', '/api/models', { name: 'announced', provider: 'scripted', settings: { responses: [{ output: 'x' }] } });
        await s.request('DELETE', `/api/models/${created.body.data.id}`);
        const evs = await got.until((e) => e.some((x) => x.event_type === 'config:model:deleted'));
        const types = evs.filter((e) => e.event_type.startsWith('config:model:')).map((e) => e.event_type);
        assert.deepEqual(types, ['config:model:created', 'config:model:deleted']);
        for (const e of evs) {
          assert.ok(validateAgainst('event-envelope', e).valid);
          assert.deepEqual(e.room_keys, ['config:models']);
          assert.match(e.idempotency_key, new RegExp(`^model:${created.body.data.id}:`));
        }
      } finally {
        socket.close();
      }
    });

    await t.test('subscribe errors are acknowledged with a coded error', async () => {
      const socket = await connectRealtime(s.url);
      try {
        const runId = await startRun(s, flowchartId);
        const cases: [unknown, string][] = [
          [{ rooms: [`run:${runId}`, `flowchart:${flowchartId}`, 'run:run_0000000000'], after_sequence: 0 }, 'validation_failed'],
          [{ rooms: [`flowchart:${flowchartId}`], after_sequence: 0 }, 'validation_failed'],
          [{ rooms: [`run:${runId}`], after_sequence: -1 }, 'validation_failed'],
          [{ rooms: ['nonsense'] }, 'validation_failed'],
          [{ rooms: [] }, 'validation_failed'],
          ['run:x', 'validation_failed'],
          [{ rooms: ['run:run_00000000000000000000000000'] }, 'not_found'],
          [{ rooms: ['run:not-an-id'] }, 'not_found'],
        ];
        for (const [body, code] of cases) {
          const ack = await subscribe(socket, body);
          assert.equal(ack.ok, false, JSON.stringify(body));
          assert.equal(ack.error.code, code, JSON.stringify(body));
          assert.equal(ack.error.contract_version, 'v1');
        }
        const unsub = await socket.timeout(5000).emitWithAck('unsubscribe', { rooms: [`run:${runId}`] });
        assert.equal(unsub.ok, true);
        await finishedRun(s, runId);
      } finally {
        socket.close();
      }
    });

    await t.test('a browser handshake from another site\'s origin is refused; the server\'s own origin is accepted', async () => {
      const attempt = (origin: string) => new Promise<boolean>((resolve) => {
        const socket = io(`${s.url}/rt`, { path: '/api/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { origin } });
        socket.once('connect', () => { socket.close(); resolve(true); });
        socket.once('connect_error', () => { socket.close(); resolve(false); });
      });
      assert.equal(await attempt('https://evil.example'), false);
      assert.equal(await attempt(s.url), true);
    });
  } finally {
    await s.close();
  }
});
