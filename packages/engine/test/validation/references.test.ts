import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowchartDocument } from '@llmctl/contracts';
import { validateFlowchart } from '../../src/validation/index.ts';
import { chain, decision, edge, flow, issues, node, SPEC_EXAMPLE } from './fixtures.ts';

const known = (name: string) => name === 'm' || name === 'demo-classifier';

/** start → sub (flowchart node calling `target`) → end. */
function calling(target: string): FlowchartDocument {
  return flow(
    [node('start', 'start'), node('sub', 'flowchart', { config: { flowchart_id: target } }), node('end', 'end')],
    [edge('c1', 'start', 'sub'), edge('c2', 'sub', 'end')],
  );
}

test('model_unknown on a task whose model is not in the registry', () => {
  const found = issues(validateFlowchart(SPEC_EXAMPLE, { modelExists: (n) => n === 'm' }), 'model_unknown');
  assert.deepEqual(found.map((i) => [i.node_id, i.path]), [
    ['classify', '/nodes/1/config/model'], ['bug', '/nodes/3/config/model'], ['other', '/nodes/4/config/model'],
  ]);
  assert.match(found[0]?.message ?? '', /"demo-classifier"/);
});

test('model_unknown is not checked without ctx.modelExists', () => {
  assert.equal(validateFlowchart(chain('a')).valid, true);
});

test('known models raise no model_unknown', () => {
  assert.deepEqual(issues(validateFlowchart(SPEC_EXAMPLE, { modelExists: known }), 'model_unknown'), []);
});

test('model_unknown on an llm_guided decision', () => {
  const doc = flow(
    [node('start', 'start'), decision('d', { mode: 'llm_guided', model: 'ghost' }), node('end', 'end')],
    [edge('c1', 'start', 'd'), edge('c2', 'd', 'end', { route_key: 'done' })],
  );
  assert.deepEqual(issues(validateFlowchart(doc, { modelExists: known }), 'model_unknown').map((i) => i.node_id), ['d']);
});

test('the model of a deterministic decision is not checked', () => {
  const doc = flow(
    [node('start', 'start'), decision('d', { model: 'ghost' }), node('end', 'end')],
    [edge('c1', 'start', 'd'), edge('c2', 'd', 'end', { condition: 'true' })],
  );
  assert.deepEqual(issues(validateFlowchart(doc, { modelExists: known }), 'model_unknown'), []);
});

test('model_unknown on an llm_guided memory node', () => {
  const doc = flow(
    [node('start', 'start'), node('mem', 'memory', { config: { mode: 'llm_guided', op: 'add', model: 'ghost' } }), node('end', 'end')],
    [edge('c1', 'start', 'mem'), edge('c2', 'mem', 'end')],
  );
  const found = issues(validateFlowchart(doc, { modelExists: known }), 'model_unknown');
  assert.deepEqual(found.map((i) => [i.node_id, i.path]), [['mem', '/nodes/1/config/model']]);
});

test('model_unknown on a plan node that names a model', () => {
  const doc = flow(
    [node('start', 'start'), node('plan', 'plan', { config: { op: 'create_or_update', plan_key: 'p', model: 'ghost' } }), node('end', 'end')],
    [edge('c1', 'start', 'plan'), edge('c2', 'plan', 'end')],
  );
  assert.equal(issues(validateFlowchart(doc, { modelExists: known }), 'model_unknown').length, 1);
});

test('subflow_cycle on a flowchart node that calls its own flowchart', () => {
  const found = issues(validateFlowchart(calling('fc_self'), { flowchartId: 'fc_self' }), 'subflow_cycle');
  assert.deepEqual(found.map((i) => [i.node_id, i.path]), [['sub', '/nodes/1/config/flowchart_id']]);
});

test('subflow_cycle on a flowchart node whose child calls back transitively', () => {
  const others: Record<string, FlowchartDocument> = { fc_b: calling('fc_c'), fc_c: calling('fc_a') };
  const found = issues(
    validateFlowchart(calling('fc_b'), { flowchartId: 'fc_a', resolveFlowchart: (id) => others[id] }),
    'subflow_cycle',
  );
  assert.equal(found.length, 1);
  assert.match(found[0]?.message ?? '', /"fc_a" → "fc_b" → "fc_c" → "fc_a"/);
});

test('no subflow_cycle when the called flowcharts never lead back', () => {
  const others: Record<string, FlowchartDocument> = { fc_b: calling('fc_c'), fc_c: chain('x') };
  const r = validateFlowchart(calling('fc_b'), { flowchartId: 'fc_a', resolveFlowchart: (id) => others[id] });
  assert.deepEqual(r, { valid: true, errors: [], warnings: [] });
});

test('a cycle among other flowcharts that never reaches this one is not reported', () => {
  const others: Record<string, FlowchartDocument> = { fc_b: calling('fc_c'), fc_c: calling('fc_b') };
  const r = validateFlowchart(calling('fc_b'), { flowchartId: 'fc_a', resolveFlowchart: (id) => others[id] });
  assert.deepEqual(issues(r, 'subflow_cycle'), []);
});

test('subflow_cycle is not checked without ctx.flowchartId', () => {
  assert.deepEqual(issues(validateFlowchart(calling('fc_self')), 'subflow_cycle'), []);
});

test('unresolvable or failing flowchart lookups are not cycles', () => {
  const r = validateFlowchart(calling('fc_b'), {
    flowchartId: 'fc_a',
    resolveFlowchart: () => { throw new Error('db down'); },
  });
  assert.deepEqual(issues(r, 'subflow_cycle'), []);
});
