import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateFlowchart } from '../../src/validation/index.ts';
import { chain, edge, errorCodes, flow, issues, node, task } from './fixtures.ts';

test('start_missing when there is no start node', () => {
  const r = validateFlowchart(flow([task('a'), node('end', 'end')], [edge('c1', 'a', 'end')]));
  assert.deepEqual(issues(r, 'start_missing').map((i) => i.path), ['/nodes']);
  assert.equal(r.valid, false);
});

test('start_multiple on each start node after the first', () => {
  const doc = chain('a');
  doc.nodes.push(node('start2', 'start'));
  doc.edges.push(edge('s2', 'start2', 'a'));
  const [i, ...rest] = issues(validateFlowchart(doc), 'start_multiple');
  assert.equal(rest.length, 0);
  assert.equal(i?.node_id, 'start2');
  assert.equal(i?.path, '/nodes/3/type');
  assert.match(i?.message ?? '', /start2/);
});

test('exactly one start node raises neither start code', () => {
  const codes = errorCodes(validateFlowchart(chain('a')));
  assert.ok(!codes.includes('start_missing') && !codes.includes('start_multiple'));
});

test('duplicate_id on a repeated node id', () => {
  const doc = chain('a');
  doc.nodes.push(task('a'));
  const found = issues(validateFlowchart(doc), 'duplicate_id');
  assert.deepEqual(found.map((i) => [i.node_id, i.path]), [['a', '/nodes/3/id']]);
});

test('duplicate_id on a repeated connector id', () => {
  const doc = chain('a', 'b');
  doc.edges.push(edge('c1', 'start', 'b', { mode: 'context' }));
  const found = issues(validateFlowchart(doc), 'duplicate_id');
  assert.deepEqual(found.map((i) => [i.edge_id, i.path]), [['c1', '/edges/3/id']]);
});

test('a node and a connector may share an id', () => {
  const doc = chain('a');
  doc.edges.push(edge('a', 'start', 'end', { mode: 'context' }));
  assert.deepEqual(issues(validateFlowchart(doc), 'duplicate_id'), []);
});

test('edge_dangling on an unknown source', () => {
  const doc = chain('a');
  doc.edges.push(edge('bad', 'ghost', 'a'));
  const found = issues(validateFlowchart(doc), 'edge_dangling');
  assert.deepEqual(found.map((i) => [i.edge_id, i.path]), [['bad', '/edges/2/source']]);
  assert.match(found[0]?.message ?? '', /ghost/);
});

test('edge_dangling on an unknown target, context connectors included', () => {
  const doc = chain('a');
  doc.edges.push(edge('bad', 'a', 'ghost', { mode: 'context' }));
  assert.deepEqual(issues(validateFlowchart(doc), 'edge_dangling').map((i) => i.path), ['/edges/2/target']);
});

test('edge_dangling reports both ends when both are unknown', () => {
  const doc = chain('a');
  doc.edges.push(edge('bad', 'x', 'y'));
  assert.deepEqual(issues(validateFlowchart(doc), 'edge_dangling').map((i) => i.path), ['/edges/2/source', '/edges/2/target']);
});

test('edge_out_of_end on a trigger connector leaving an end node', () => {
  const doc = chain('a');
  doc.edges.push(edge('after', 'end', 'a'));
  const found = issues(validateFlowchart(doc), 'edge_out_of_end');
  assert.deepEqual(found.map((i) => [i.edge_id, i.node_id, i.path]), [['after', 'end', '/edges/2']]);
});

test('a context connector may leave an end node', () => {
  const doc = chain('a');
  doc.edges.push(edge('ctx', 'end', 'a', { mode: 'context' }));
  assert.deepEqual(issues(validateFlowchart(doc), 'edge_out_of_end'), []);
});

test('self_loop on a trigger connector from a node to itself', () => {
  const doc = chain('a');
  doc.edges.push(edge('again', 'a', 'a', { condition: 'node.iteration < 3' }));
  const found = issues(validateFlowchart(doc), 'self_loop');
  assert.deepEqual(found.map((i) => [i.edge_id, i.node_id, i.path]), [['again', 'a', '/edges/2']]);
});

test('a context connector from a node to itself is not a self_loop', () => {
  const doc = chain('a');
  doc.edges.push(edge('prev', 'a', 'a', { mode: 'context' }));
  assert.deepEqual(issues(validateFlowchart(doc), 'self_loop'), []);
});

test('edge_parallel on a second trigger connector between the same nodes', () => {
  const doc = chain('a');
  doc.edges.push(edge('twin', 'start', 'a', { condition: 'true' }));
  const found = issues(validateFlowchart(doc), 'edge_parallel');
  assert.deepEqual(found.map((i) => [i.edge_id, i.path]), [['twin', '/edges/2']]);
  assert.match(found[0]?.message ?? '', /"c1"/);
});

test('a trigger and a context connector between the same nodes are not parallel', () => {
  const doc = chain('a');
  doc.edges.push(edge('ctx', 'start', 'a', { mode: 'context' }));
  assert.deepEqual(issues(validateFlowchart(doc), 'edge_parallel'), []);
});

test('opposite trigger connectors between two nodes are not parallel', () => {
  const doc = chain('a', 'b');
  doc.edges.push(edge('back', 'b', 'a', { condition: 'node.iteration < 3' }));
  assert.deepEqual(issues(validateFlowchart(doc), 'edge_parallel'), []);
});
