import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowchartDocument } from '@llmctl/contracts';
import { validateFlowchart } from '../../src/validation/index.ts';
import { chain, decision, edge, flow, issues, node, SPEC_EXAMPLE, task } from './fixtures.ts';

test('fallback_not_decision on a fallback connector leaving a task', () => {
  const doc = chain('a');
  (doc.edges[1] as { fallback?: boolean }).fallback = true;
  const found = issues(validateFlowchart(doc), 'fallback_not_decision');
  assert.deepEqual(found.map((i) => [i.edge_id, i.path]), [['c2', '/edges/1/fallback']]);
  assert.match(found[0]?.message ?? '', /task/);
});

test('fallback_not_decision on a fallback context connector leaving a decision', () => {
  const doc: FlowchartDocument = structuredClone(SPEC_EXAMPLE);
  doc.edges.push({ id: 'ctx', source: 'route', target: 'done', mode: 'context', fallback: true });
  assert.deepEqual(issues(validateFlowchart(doc), 'fallback_not_decision').map((i) => i.edge_id), ['ctx']);
});

test('a fallback trigger connector leaving a decision is allowed', () => {
  assert.deepEqual(issues(validateFlowchart(SPEC_EXAMPLE), 'fallback_not_decision'), []);
});

test('fallback: false is allowed on any connector', () => {
  const doc = chain('a');
  (doc.edges[1] as { fallback?: boolean }).fallback = false;
  assert.deepEqual(issues(validateFlowchart(doc), 'fallback_not_decision'), []);
});

test('condition_on_context on a context connector with a condition', () => {
  const doc = chain('a', 'b');
  doc.edges.push(edge('ctx', 'a', 'b', { mode: 'context', condition: 'true' }));
  const found = issues(validateFlowchart(doc), 'condition_on_context');
  assert.deepEqual(found.map((i) => [i.edge_id, i.path]), [['ctx', '/edges/3/condition']]);
});

test('a condition on a trigger connector is not condition_on_context', () => {
  const doc = chain('a');
  (doc.edges[1] as { condition?: string }).condition = 'output.ok';
  assert.deepEqual(issues(validateFlowchart(doc), 'condition_on_context'), []);
});

test('required_on_trigger on a trigger connector marked required', () => {
  const doc = chain('a');
  (doc.edges[1] as { required?: boolean }).required = true;
  const found = issues(validateFlowchart(doc), 'required_on_trigger');
  assert.deepEqual(found.map((i) => [i.edge_id, i.path]), [['c2', '/edges/1/required']]);
});

test('required on a context connector is allowed', () => {
  const doc = chain('a', 'b');
  doc.edges.push(edge('ctx', 'a', 'b', { mode: 'context', required: true }));
  assert.equal(validateFlowchart(doc).valid, true);
});

test('required: false on a trigger connector is not required_on_trigger', () => {
  const doc = chain('a');
  (doc.edges[1] as { required?: boolean }).required = false;
  assert.deepEqual(issues(validateFlowchart(doc), 'required_on_trigger'), []);
});

test('condition_invalid on a condition that does not parse as JSONata', () => {
  const doc = chain('a');
  (doc.edges[1] as { condition?: string }).condition = "output.category = ";
  const found = issues(validateFlowchart(doc), 'condition_invalid');
  assert.deepEqual(found.map((i) => [i.edge_id, i.path]), [['c2', '/edges/1/condition']]);
  assert.match(found[0]?.message ?? '', /position \d+/);
});

test('condition_invalid on an empty condition', () => {
  const doc = chain('a');
  (doc.edges[1] as { condition?: string }).condition = '';
  assert.equal(issues(validateFlowchart(doc), 'condition_invalid').length, 1);
});

test('a condition that parses as JSONata is accepted', () => {
  const doc = flow(
    [node('start', 'start'), task('a'), node('end', 'end')],
    [
      edge('c1', 'start', 'a'),
      edge('c2', 'a', 'end', { condition: "$count(output.items[status = 'done']) > 0 and node.iteration <= 3" }),
    ],
  );
  assert.deepEqual(issues(validateFlowchart(doc), 'condition_invalid'), []);
});

test('conditions are parsed on decision connectors too', () => {
  const doc = flow(
    [node('start', 'start'), decision('d'), task('a'), node('end', 'end')],
    [
      edge('c1', 'start', 'd'),
      edge('c2', 'd', 'a', { condition: '((' }),
      edge('c3', 'd', 'end', { fallback: true }),
      edge('c4', 'a', 'end'),
    ],
  );
  assert.deepEqual(issues(validateFlowchart(doc), 'condition_invalid').map((i) => i.edge_id), ['c2']);
});
