import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowchartDocument } from '@llmctl/contracts';
import { validateFlowchart } from '../../src/validation/index.ts';
import { chain, edge, flow, issues, node, task } from './fixtures.ts';

/** start → a → b → a (loop) with extra connectors. */
function loop(...extraEdges: ReturnType<typeof edge>[]): FlowchartDocument {
  return flow(
    [node('start', 'start'), task('a'), task('b'), node('end', 'end')],
    [edge('sa', 'start', 'a'), edge('ab', 'a', 'b'), edge('ba', 'b', 'a', { condition: 'node.iteration < 5' }), ...extraEdges],
  );
}

test('unreachable_node warns on a node no trigger path from start reaches', () => {
  const doc = chain('a');
  doc.nodes.push(task('island'));
  const r = validateFlowchart(doc);
  assert.deepEqual(r.warnings.map((i) => [i.code, i.node_id, i.path]), [['unreachable_node', 'island', '/nodes/3']]);
  assert.match(r.warnings[0]?.message ?? '', /"island"/);
});

test('unreachable_node warns on a node reached only through a context connector', () => {
  const doc = chain('a');
  doc.nodes.push(task('ctx_only'));
  doc.edges.push(edge('ctx', 'a', 'ctx_only', { mode: 'context' }));
  assert.deepEqual(issues(validateFlowchart(doc), 'unreachable_node').map((i) => i.node_id), ['ctx_only']);
});

test('every node on a trigger path from start is reachable', () => {
  assert.deepEqual(issues(validateFlowchart(chain('a', 'b', 'c')), 'unreachable_node'), []);
});

test('no_end_reachable warns when no end node is reachable from start', () => {
  const doc = flow([node('start', 'start'), task('a'), node('end', 'end')], [edge('sa', 'start', 'a')]);
  const r = validateFlowchart(doc);
  assert.equal(r.valid, true);
  assert.deepEqual(issues(r, 'no_end_reachable').map((i) => i.path), ['/nodes']);
});

test('no_end_reachable warns when the flowchart has no end node at all', () => {
  const doc = flow([node('start', 'start'), task('a')], [edge('sa', 'start', 'a')]);
  assert.equal(issues(validateFlowchart(doc), 'no_end_reachable').length, 1);
});

test('a milestone with terminate always counts as an end', () => {
  const doc = flow([node('start', 'start'), node('m', 'milestone', { config: { terminate: 'always' } })], [edge('sm', 'start', 'm')]);
  assert.deepEqual(validateFlowchart(doc), { valid: true, errors: [], warnings: [] });
});

test('a milestone with terminate on_complete counts as an end', () => {
  const doc = flow([node('start', 'start'), node('m', 'milestone', { config: { terminate: 'on_complete' } })], [edge('sm', 'start', 'm')]);
  assert.deepEqual(issues(validateFlowchart(doc), 'no_end_reachable'), []);
});

test('a milestone with terminate never does not count as an end', () => {
  const doc = flow([node('start', 'start'), node('m', 'milestone', { config: { terminate: 'never' } })], [edge('sm', 'start', 'm')]);
  assert.equal(issues(validateFlowchart(doc), 'no_end_reachable').length, 1);
});

test('loop_without_exit on a loop no trigger connector leaves', () => {
  const found = issues(validateFlowchart(loop()), 'loop_without_exit');
  assert.deepEqual(found.map((i) => [i.node_id, i.path]), [['a', '/nodes/1']]);
  assert.match(found[0]?.message ?? '', /"a", "b"/);
});

test('a loop with a trigger connector leaving it has an exit', () => {
  const r = validateFlowchart(loop(edge('out', 'b', 'end', { condition: 'node.iteration >= 5' })));
  assert.deepEqual(r, { valid: true, errors: [], warnings: [] });
});

test('loop_without_exit when the only connector leaving the loop goes into start', () => {
  const doc = loop(edge('again', 'b', 'start', { condition: 'node.iteration >= 5' }));
  assert.equal(issues(validateFlowchart(doc), 'loop_without_exit').length, 1);
});

test('a connector into start does not make a loop through start', () => {
  const doc = chain('a');
  doc.edges.push(edge('continue', 'a', 'start', { condition: 'output.more = true' }));
  assert.deepEqual(validateFlowchart(doc), { valid: true, errors: [], warnings: [] });
});

test('a context connector leaving a loop is no exit', () => {
  const doc = loop(edge('peek', 'b', 'end', { mode: 'context' }));
  assert.equal(issues(validateFlowchart(doc), 'loop_without_exit').length, 1);
});

test('a loop holding a terminating milestone needs no exit', () => {
  const doc = flow(
    [node('start', 'start'), task('a'), node('m', 'milestone', { config: { terminate: 'on_complete' } })],
    [edge('sa', 'start', 'a'), edge('am', 'a', 'm'), edge('ma', 'm', 'a')],
  );
  assert.deepEqual(issues(validateFlowchart(doc), 'loop_without_exit'), []);
});

test('loop_without_exit on each closed loop separately', () => {
  const doc = loop();
  doc.nodes.push(task('c'), task('d'));
  doc.edges.push(edge('sc', 'start', 'c'), edge('cd', 'c', 'd'), edge('dc', 'd', 'c'));
  assert.deepEqual(issues(validateFlowchart(doc), 'loop_without_exit').map((i) => i.node_id), ['a', 'c']);
});

test('a nested loop whose outer loop has an exit is fine', () => {
  const doc = loop(edge('bb2', 'b', 'b2'), edge('b2a', 'b2', 'a'), edge('out', 'b2', 'end', { condition: 'true' }));
  doc.nodes.push(task('b2'));
  assert.deepEqual(issues(validateFlowchart(doc), 'loop_without_exit'), []);
});
