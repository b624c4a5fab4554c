import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendToken, nodeRunDisplayState, summarizeNodeRuns, takenConnectorIds } from '../src/core/run-state.ts';
import { nodeRun } from './fixtures.ts';

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
