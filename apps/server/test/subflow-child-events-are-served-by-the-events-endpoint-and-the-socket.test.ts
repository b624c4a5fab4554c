import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAgainst, type EventEnvelope } from '@llmctl/contracts';
import { startTestServer } from './support/test-server.ts';
import { collect, connectRealtime, subscribe } from './support/realtime.ts';

// Issue 18: a child run's completion is an event in the parent's log. On the real server (PostgreSQL), the parent's
// `GET /api/runs/:id/events` holds `subflow.child_started` and `subflow.child_finished` once each, in the socket
// envelope, their payloads validate against the published run-event schema, and the socket delivers them too.
test('a parent\'s events endpoint and socket carry its child\'s start and end, once each, before the node\'s outcome', async () => {
  const s = await startTestServer();
  const socket = await connectRealtime(s.url);
  try {
    const created = await s.request('POST', '/api/flowcharts', {
      schema_version: 1, name: 'Child', nodes: [{ id: 'start', type: 'start' }, { id: 'done', type: 'end', config: { output: { echoed: '{{input.n}}' } } }],
      edges: [{ id: 'e1', source: 'start', target: 'done' }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const child = created.body.data.id as string;
    const parentFc = (await s.request('POST', '/api/flowcharts', {
      schema_version: 1, name: 'Parent',
      nodes: [{ id: 'start', type: 'start' }, { id: 'sub', type: 'flowchart', config: { flowchart_id: child, input: { n: 7 } } }, { id: 'done', type: 'end' }],
      edges: [{ id: 'e1', source: 'start', target: 'sub' }, { id: 'e2', source: 'sub', target: 'done' }],
    }));
    assert.equal(parentFc.status, 201, JSON.stringify(parentFc.body));
    const live = collect(socket);
    assert.equal((await subscribe(socket, { rooms: [`flowchart:${parentFc.body.data.id}`] })).ok, true);
    const runId = (await s.request('POST', `/api/flowcharts/${parentFc.body.data.id}/runs`, { input: {} })).body.data.id as string;
    const run = (await s.request('GET', `/api/runs/${runId}?wait_s=30`)).body.data;
    assert.equal(run.status, 'succeeded');

    const events = (await s.request('GET', `/api/runs/${runId}/events?after_sequence=0&limit=1000`)).body.data as EventEnvelope[];
    const of = (kind: string) => events.filter((e) => (e.payload as { kind: string }).kind === kind);
    assert.equal(of('subflow.child_started').length, 1);
    assert.equal(of('subflow.child_finished').length, 1);
    const finished = of('subflow.child_finished')[0]!;
    const sub = run.node_runs.find((n: { node_id: string }) => n.node_id === 'sub');
    assert.equal(finished.event_type, 'flowchart:node:updated');
    assert.deepEqual({ ...finished.payload, at: null }, {
      kind: 'subflow.child_finished', v: 2, at: null, node_id: 'sub', node_run_id: sub.id, child_run_id: of('subflow.child_started')[0]!.payload.child_run_id,
      flowchart_id: child, status: 'succeeded', error: null,
    });
    const childRun = (await s.request('GET', `/api/runs/${finished.payload.child_run_id as string}`)).body.data;
    assert.equal(childRun.parent_run_id, runId);
    assert.deepEqual(childRun.output, { echoed: 7 });
    for (const e of [...of('subflow.child_started'), finished]) {
      assert.deepEqual(validateAgainst('run-event', e.payload).errors, [], e.payload.kind as string);
      assert.equal(validateAgainst('event-envelope', e).valid, true);
    }
    const outcome = events.findIndex((e) => e.payload.kind === 'node.succeeded' && e.payload.node_id === 'sub');
    assert.ok(events.indexOf(finished) < outcome, 'the child\'s end is logged before the node\'s outcome');

    const logged = await live.until((es) => es.some((e) => e.run_id === runId && e.sequence === finished.sequence));
    const onSocket = logged.find((e) => e.run_id === runId && e.sequence === finished.sequence)!;
    assert.equal(onSocket.idempotency_key, finished.idempotency_key);
    assert.deepEqual(onSocket.payload, finished.payload);
  } finally {
    socket.close();
    await s.close();
  }
});
