import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendToken, applyRunEvent, nodeRunDisplayState, summarizeNodeRuns, takenConnectorIds } from '../src/core/run-state.ts';
import { nodeRun, run } from './fixtures.ts';

test('a succeeded node run with fallback_used displays as success_with_warning', () => {
  assert.equal(nodeRunDisplayState({ status: 'succeeded', outcome: 'success_with_warning', fallback_used: true }), 'success_with_warning');
  assert.equal(nodeRunDisplayState({ status: 'succeeded', outcome: 'success', fallback_used: false }), 'succeeded');
  assert.equal(nodeRunDisplayState({ status: 'skipped', outcome: null, fallback_used: false }), 'skipped');
});

test('a node shows its latest non-superseded node run', () => {
  const s = summarizeNodeRuns([
    nodeRun({ id: 'a1', node_id: 'a', status: 'failed' }),
    nodeRun({ id: 'a2', node_id: 'a', status: 'succeeded', retry_of: 'a1' }),
    nodeRun({ id: 'a3', node_id: 'a', status: 'superseded' }),
  ]);
  assert.equal(s.get('a')!.latest.id, 'a2');
  assert.equal(s.get('a')!.state, 'succeeded');
  assert.equal(s.get('a')!.count, 3);
});

test('a node whose node runs are all superseded shows superseded', () => {
  const s = summarizeNodeRuns([nodeRun({ id: 'b1', node_id: 'b', status: 'superseded' })]);
  assert.equal(s.get('b')!.state, 'superseded');
});

test('node:updated events replace the node run by id or append a new one', () => {
  const r0 = run({ node_runs: [nodeRun({ id: 'n1', node_id: 'a', status: 'running' })] });
  const r1 = applyRunEvent(r0, { event_type: 'flowchart:node:updated', run_id: 'r1', payload: { node_run: nodeRun({ id: 'n1', node_id: 'a', status: 'succeeded' }) } });
  assert.equal(r1.node_runs![0]!.status, 'succeeded');
  const r2 = applyRunEvent(r1, { event_type: 'flowchart:node:updated', run_id: 'r1', payload: nodeRun({ id: 'n2', node_id: 'b', status: 'queued' }) as unknown as Record<string, unknown> });
  assert.deepEqual(r2.node_runs!.map((n) => n.id), ['n1', 'n2']);
});

test('run:updated events merge run fields and keep node runs', () => {
  const r0 = run({ node_runs: [nodeRun({ id: 'n1', node_id: 'a', status: 'running' })] });
  const r1 = applyRunEvent(r0, { event_type: 'flowchart:run:updated', run_id: 'r1', payload: { run: { id: 'r1', status: 'paused' } } });
  assert.equal(r1.status, 'paused');
  assert.equal(r1.node_runs!.length, 1);
});

test('events of another run or unknown shape leave the run untouched', () => {
  const r0 = run();
  assert.equal(applyRunEvent(r0, { event_type: 'flowchart:run:updated', run_id: 'other', payload: { status: 'failed' } }), r0);
  assert.equal(applyRunEvent(r0, { event_type: 'flowchart:node:updated', run_id: 'r1', payload: { foo: 1 } }), r0);
  assert.equal(applyRunEvent(r0, { event_type: 'engine:join:queued', run_id: 'r1', payload: {} }), r0);
});

test('tokens accumulate per node run', () => {
  let b = appendToken({}, { node_run_id: 'n1', delta: 'Hel' });
  b = appendToken(b, { node_run_id: 'n1', delta: 'lo' });
  b = appendToken(b, { node_run_id: 'n2', delta: 'x' });
  b = appendToken(b, { bogus: true });
  assert.deepEqual(b, { n1: 'Hello', n2: 'x' });
});

test('matched connectors of superseded node runs are not highlighted', () => {
  const routing = (ids: string[]) => ({ matched_connector_ids: ids, route_key: null, route_keys: [], routing_state: 'matched' as const, evaluated: [] });
  const ids = takenConnectorIds([
    nodeRun({ id: 'a', node_id: 'a', status: 'succeeded', routing: routing(['e1']) }),
    nodeRun({ id: 'b', node_id: 'b', status: 'superseded', routing: routing(['e2']) }),
  ]);
  assert.deepEqual([...ids], ['e1']);
});

test('engine event payloads drive a node run from queued to succeeded', () => {
  let r = run({ node_runs: [] });
  const ev = (payload: Record<string, unknown>, event_type = 'flowchart:node:updated') => ({ event_type, run_id: 'r1', payload });
  r = applyRunEvent(r, ev({ kind: 'node.queued', node_id: 'a', node_run: { id: 'n1', node_id: 'a', node_type: 'task', iteration: 1, tokens: [], idempotency_key: 'k', retry_of: null, rewound_from: null }, at: 't0' }));
  assert.equal(r.node_runs![0]!.status, 'queued');
  r = applyRunEvent(r, ev({ kind: 'node.started', node_id: 'a', node_run_id: 'n1', context: {}, at: 't1' }));
  r = applyRunEvent(r, ev({ kind: 'node.attempt_started', node_id: 'a', node_run_id: 'n1', n: 1, at: 't1' }));
  assert.equal(r.node_runs![0]!.status, 'running');
  const routing = { matched_connector_ids: ['e1'], route_key: null, route_keys: [], routing_state: 'matched', evaluated: [] };
  r = applyRunEvent(r, ev({ kind: 'node.succeeded', node_id: 'a', node_run_id: 'n1', output: { x: 1 }, routing, outcome: 'success_with_warning', fallback_used: true, degraded_reason: 'tool_failed', warnings: [], usage: null, at: 't2' }));
  const nr = r.node_runs![0]!;
  assert.equal(nodeRunDisplayState(nr), 'success_with_warning');
  assert.deepEqual(nr.output, { x: 1 });
  assert.equal(nr.attempts[0]!.finished_at, 't2');
  assert.deepEqual(nr.routing!.matched_connector_ids, ['e1']);
});

test('a failed attempt is recorded and run.status fails the run with its error', () => {
  let r = run({ node_runs: [nodeRun({ id: 'n1', node_id: 'a', status: 'running', attempts: [{ n: 1, started_at: 't', finished_at: null, error: null }] })] });
  const error = { code: 'node_timeout', message: 'slow', details: {}, retryable: true };
  r = applyRunEvent(r, { event_type: 'flowchart:node:updated', run_id: 'r1', payload: { kind: 'node.attempt_failed', node_run_id: 'n1', n: 1, error, at: 't3' } });
  assert.equal(r.node_runs![0]!.attempts[0]!.error!.code, 'node_timeout');
  r = applyRunEvent(r, { event_type: 'flowchart:run:updated', run_id: 'r1', payload: { kind: 'run.status', status: 'failed', from: 'running', error, at: 't4' } });
  assert.equal(r.status, 'failed');
  assert.equal(r.error!.code, 'node_timeout');
  assert.equal(r.finished_at, 't4');
});

test('run.rewound marks the superseded node runs', () => {
  const r0 = run({ node_runs: [nodeRun({ id: 'n1', node_id: 'a', status: 'succeeded' }), nodeRun({ id: 'n2', node_id: 'b', status: 'succeeded' })] });
  const r1 = applyRunEvent(r0, { event_type: 'flowchart:run:updated', run_id: 'r1', payload: { kind: 'run.rewound', node_run_id: 'n1', superseded: ['n1', 'n2'], at: 't' } });
  assert.deepEqual(r1.node_runs!.map((n) => n.status), ['superseded', 'superseded']);
});
