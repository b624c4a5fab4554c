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
