import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowchartDocument } from '@llmctl/contracts';
import { validateFlowchart } from '../../src/validation/index.ts';
import { decision, edge, flow, issues, node, SPEC_EXAMPLE, task } from './fixtures.ts';

/** start → d (decision) → a | b → end, conditions on both unless overridden. */
function branching(config: Record<string, unknown> = {}, ea: object = { condition: 'true' }, eb: object = { condition: 'false' }): FlowchartDocument {
  return flow(
    [node('start', 'start'), decision('d', config), task('a'), task('b'), node('end', 'end')],
    [edge('c1', 'start', 'd'), edge('ca', 'd', 'a', ea), edge('cb', 'd', 'b', eb), edge('a_end', 'a', 'end'), edge('b_end', 'b', 'end')],
  );
}

const guided = { mode: 'llm_guided', model: 'm' };

test('a deterministic decision with conditions on every connector is valid', () => {
  assert.deepEqual(validateFlowchart(branching()), { valid: true, errors: [], warnings: [] });
});

test('decision_no_outputs on a decision without outgoing trigger connectors', () => {
  const doc = flow([node('start', 'start'), decision('d')], [edge('c1', 'start', 'd')]);
  const found = issues(validateFlowchart(doc), 'decision_no_outputs');
  assert.deepEqual(found.map((i) => [i.node_id, i.path]), [['d', '/nodes/1']]);
});

test('decision_no_outputs when a decision only has context connectors out', () => {
  const doc = flow(
    [node('start', 'start'), decision('d'), node('end', 'end')],
    [edge('c1', 'start', 'd'), edge('ctx', 'd', 'end', { mode: 'context' })],
  );
  assert.equal(issues(validateFlowchart(doc), 'decision_no_outputs').length, 1);
});

test('decision_condition_missing on a non-fallback connector of a deterministic decision', () => {
  const found = issues(validateFlowchart(branching({}, {})), 'decision_condition_missing');
  assert.deepEqual(found.map((i) => [i.edge_id, i.node_id, i.path]), [['ca', 'd', '/edges/1/condition']]);
});

test('decision_condition_missing applies when mode is left to its deterministic default', () => {
  const doc = branching({}, {});
  (doc.nodes[1] as { config?: Record<string, unknown> }).config = {};
  assert.equal(issues(validateFlowchart(doc), 'decision_condition_missing').length, 1);
});

test('the fallback connector of a deterministic decision needs no condition', () => {
  assert.deepEqual(issues(validateFlowchart(branching({}, { condition: 'true' }, { fallback: true })), 'decision_condition_missing'), []);
});

test('decision_fallback_multiple on a second fallback connector', () => {
  const doc = branching({}, { fallback: true }, { fallback: true });
  const found = issues(validateFlowchart(doc), 'decision_fallback_multiple');
  assert.deepEqual(found.map((i) => [i.edge_id, i.node_id, i.path]), [['cb', 'd', '/edges/2/fallback']]);
  assert.match(found[0]?.message ?? '', /"ca", "cb"/);
});

test('route_key_duplicate on two connectors of one decision sharing a key', () => {
  const doc = branching({}, { condition: 'true', route_key: 'k' }, { condition: 'false', route_key: 'k' });
  const found = issues(validateFlowchart(doc), 'route_key_duplicate');
  assert.deepEqual(found.map((i) => [i.edge_id, i.node_id, i.path]), [['cb', 'd', '/edges/2/route_key']]);
});

test('route_key_duplicate on two connectors of an ordinary node sharing a key', () => {
  const doc = flow(
    [node('start', 'start'), task('a'), task('b'), node('end', 'end')],
    [edge('c1', 'start', 'a', { route_key: 'go' }), edge('c2', 'start', 'b', { route_key: 'go' }), edge('c3', 'a', 'end'), edge('c4', 'b', 'end')],
  );
  assert.deepEqual(issues(validateFlowchart(doc), 'route_key_duplicate').map((i) => i.edge_id), ['c2']);
});

test('the same route_key on connectors of different nodes is allowed', () => {
  const doc = flow(
    [node('start', 'start'), task('a'), node('end', 'end')],
    [edge('c1', 'start', 'a', { route_key: 'next' }), edge('c2', 'a', 'end', { route_key: 'next' })],
  );
  assert.deepEqual(issues(validateFlowchart(doc), 'route_key_duplicate'), []);
});

test('an llm_guided decision with a route_key on every connector is valid', () => {
  const doc = branching(guided, { route_key: 'a' }, { route_key: 'b' });
  assert.deepEqual(validateFlowchart(doc), { valid: true, errors: [], warnings: [] });
});

test('llm_guided_route_keys on a connector of an llm_guided decision without a route_key', () => {
  const doc = branching(guided, { route_key: 'a' }, {});
  const found = issues(validateFlowchart(doc), 'llm_guided_route_keys');
  assert.deepEqual(found.map((i) => [i.edge_id, i.node_id, i.path]), [['cb', 'd', '/edges/2']]);
});

test('llm_guided_route_keys also covers the fallback connector', () => {
  const doc = branching(guided, { route_key: 'a' }, { fallback: true });
  assert.deepEqual(issues(validateFlowchart(doc), 'llm_guided_route_keys').map((i) => i.edge_id), ['cb']);
});

test('an llm_guided decision needs no conditions', () => {
  const doc = branching(guided, { route_key: 'a' }, { route_key: 'b' });
  assert.deepEqual(issues(validateFlowchart(doc), 'decision_condition_missing'), []);
});

test('llm_guided_conditions_ignored warns on each condition of an llm_guided decision', () => {
  const doc = branching(guided, { route_key: 'a', condition: 'true' }, { route_key: 'b' });
  const r = validateFlowchart(doc);
  assert.equal(r.valid, true);
  assert.deepEqual(r.warnings.map((i) => [i.code, i.edge_id, i.path]), [['llm_guided_conditions_ignored', 'ca', '/edges/1/condition']]);
});

test('conditions on a deterministic decision raise no llm_guided warning', () => {
  assert.deepEqual(issues(validateFlowchart(SPEC_EXAMPLE), 'llm_guided_conditions_ignored'), []);
});
