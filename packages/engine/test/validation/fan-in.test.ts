import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FanIn, FlowchartDocument } from '@llmctl/contracts';
import { validateFlowchart } from '../../src/validation/index.ts';
import { chain, decision, edge, flow, issues, node, task } from './fixtures.ts';

/** start → a, start → b; a → j, b → j; j → end (a join after parallel branches). */
function parallel(fanIn?: FanIn): FlowchartDocument {
  return flow(
    [node('start', 'start'), task('a'), task('b'), task('j', fanIn ? { fan_in: fanIn } : {}), node('end', 'end')],
    [edge('sa', 'start', 'a'), edge('sb', 'start', 'b'), edge('aj', 'a', 'j'), edge('bj', 'b', 'j'), edge('je', 'j', 'end')],
  );
}

/** start → a → j; j → b → j (b is only reached through j); j → end when done. Plus optional x → j from start. */
function loopJoin(fanIn: FanIn, withExtraInput = false): FlowchartDocument {
  const doc = flow(
    [node('start', 'start'), task('a'), task('j', { fan_in: fanIn }), task('b'), node('end', 'end')],
    [
      edge('sa', 'start', 'a'), edge('aj', 'a', 'j'), edge('jb', 'j', 'b', { condition: 'node.iteration < 3' }),
      edge('bj', 'b', 'j'), edge('je', 'j', 'end', { condition: 'node.iteration >= 3' }),
    ],
  );
  if (withExtraInput) {
    doc.nodes.push(task('x'));
    doc.edges.push(edge('sx', 'start', 'x'), edge('xj', 'x', 'j'));
  }
  return doc;
}

/** start → d (match first: da when true, db fallback); a → j, b → j; j → end. */
function exclusive(fanIn: FanIn, match: 'first' | 'all' = 'first'): FlowchartDocument {
  return flow(
    [node('start', 'start'), decision('d', { match }), task('a'), task('b'), task('j', { fan_in: fanIn }), node('end', 'end')],
    [
      edge('sd', 'start', 'd'), edge('da', 'd', 'a', { condition: 'output.ok' }),
      edge('db', 'd', 'b', match === 'first' ? { fallback: true } : { condition: 'true' }),
      edge('aj', 'a', 'j'), edge('bj', 'b', 'j'), edge('je', 'j', 'end'),
    ],
  );
}

test('every fan_in policy on a join after parallel branches is valid', () => {
  for (const fanIn of [{ policy: 'inclusive' }, { policy: 'all' }, { policy: 'any' }, { policy: 'count', count: 1 }, { policy: 'count', count: 2 }] as FanIn[]) {
    assert.deepEqual(validateFlowchart(parallel(fanIn)), { valid: true, errors: [], warnings: [] }, JSON.stringify(fanIn));
  }
});

test('fan_in_invalid when count is 0', () => {
  const found = issues(validateFlowchart(parallel({ policy: 'count', count: 0 })), 'fan_in_invalid');
  assert.deepEqual(found.map((i) => [i.node_id, i.path]), [['j', '/nodes/3/fan_in/count']]);
});

test('fan_in_invalid when count exceeds the incoming trigger connectors', () => {
  const found = issues(validateFlowchart(parallel({ policy: 'count', count: 3 })), 'fan_in_invalid');
  assert.equal(found.length, 1);
  assert.match(found[0]?.message ?? '', /from 1 to .*\(2\)/);
});

test('fan_in_invalid when count exceeds the single incoming connector of a non-join, besides fan_in_ignored', () => {
  const doc = chain('a');
  (doc.nodes[1] as { fan_in?: FanIn }).fan_in = { policy: 'count', count: 2 };
  const r = validateFlowchart(doc);
  assert.deepEqual([r.errors.map((i) => i.code), r.warnings.map((i) => i.code)], [['fan_in_invalid'], ['fan_in_ignored']]);
});

test('fan_in count 1 on a node with one incoming connector is only ignored', () => {
  const doc = chain('a');
  (doc.nodes[1] as { fan_in?: FanIn }).fan_in = { policy: 'count', count: 1 };
  const r = validateFlowchart(doc);
  assert.deepEqual([r.errors.map((i) => i.code), r.warnings.map((i) => i.code)], [[], ['fan_in_ignored']]);
});

test('fan_in_invalid when count is not an integer', () => {
  assert.equal(issues(validateFlowchart(parallel({ policy: 'count', count: 1.5 })), 'fan_in_invalid').length, 1);
});

test('context connectors do not count as join inputs for fan_in count', () => {
  const doc = parallel({ policy: 'count', count: 3 });
  doc.edges.push(edge('ctx', 'start', 'j', { mode: 'context' }));
  assert.equal(issues(validateFlowchart(doc), 'fan_in_invalid').length, 1);
});

test('fan_in_ignored warns when fan_in is set on a node with one incoming trigger connector', () => {
  const doc = chain('a');
  (doc.nodes[1] as { fan_in?: FanIn }).fan_in = { policy: 'all' };
  const r = validateFlowchart(doc);
  assert.equal(r.valid, true);
  assert.deepEqual(r.warnings.map((i) => [i.code, i.node_id, i.path]), [['fan_in_ignored', 'a', '/nodes/1/fan_in']]);
});

test('fan_in_ignored warns when fan_in is set on the start node', () => {
  const doc = chain('a');
  (doc.nodes[0] as { fan_in?: FanIn }).fan_in = { policy: 'any' };
  assert.deepEqual(validateFlowchart(doc).warnings.map((i) => i.code), ['fan_in_ignored']);
});

test('fan_in on a join raises no fan_in_ignored', () => {
  assert.deepEqual(issues(validateFlowchart(parallel({ policy: 'any' })), 'fan_in_ignored'), []);
});

test('fan_in_deadlock when an all join input is only reachable through the join itself', () => {
  const found = issues(validateFlowchart(loopJoin({ policy: 'all' })), 'fan_in_deadlock');
  assert.deepEqual(found.map((i) => [i.node_id, i.path]), [['j', '/nodes/2/fan_in']]);
  assert.match(found[0]?.message ?? '', /"bj" from "b"/);
});

test('an inclusive loop head is not a fan_in_deadlock', () => {
  const r = validateFlowchart(loopJoin({ policy: 'inclusive' }));
  assert.deepEqual(r, { valid: true, errors: [], warnings: [] });
});

test('an any loop head is not a fan_in_deadlock', () => {
  assert.deepEqual(issues(validateFlowchart(loopJoin({ policy: 'any' })), 'fan_in_deadlock'), []);
});

test('a count join whose quorum can be met before it fires is not a fan_in_deadlock', () => {
  assert.deepEqual(issues(validateFlowchart(loopJoin({ policy: 'count', count: 2 }, true)), 'fan_in_deadlock'), []);
});

test('fan_in_deadlock when a count join needs more inputs than can arrive before it fires', () => {
  const found = issues(validateFlowchart(loopJoin({ policy: 'count', count: 3 }, true)), 'fan_in_deadlock');
  assert.equal(found.length, 1);
  assert.match(found[0]?.message ?? '', /count 3/);
});

test('fan_in_deadlock when an all join input comes from an unreachable node', () => {
  const doc = parallel({ policy: 'all' });
  doc.nodes.push(task('orphan'));
  doc.edges.push(edge('oj', 'orphan', 'j'));
  assert.equal(issues(validateFlowchart(doc), 'fan_in_deadlock').length, 1);
});

test('fan_in_after_exclusive_branch warns on an all join fed by two branches of a match-first decision', () => {
  const r = validateFlowchart(exclusive({ policy: 'all' }));
  assert.equal(r.valid, true);
  const found = issues(r, 'fan_in_after_exclusive_branch');
  assert.deepEqual(found.map((i) => [i.node_id, i.path]), [['j', '/nodes/4/fan_in']]);
  assert.match(found[0]?.message ?? '', /decision "d"/);
});

test('fan_in_after_exclusive_branch warns when one input leaves the decision directly', () => {
  const doc = flow(
    [node('start', 'start'), decision('d'), task('a'), task('j', { fan_in: { policy: 'all' } }), node('end', 'end')],
    [
      edge('sd', 'start', 'd'), edge('dj', 'd', 'j', { condition: 'output.ok' }), edge('da', 'd', 'a', { fallback: true }),
      edge('aj', 'a', 'j'), edge('je', 'j', 'end'),
    ],
  );
  assert.equal(issues(validateFlowchart(doc), 'fan_in_after_exclusive_branch').length, 1);
});

test('no fan_in_after_exclusive_branch after a match-all decision', () => {
  assert.deepEqual(issues(validateFlowchart(exclusive({ policy: 'all' }, 'all')), 'fan_in_after_exclusive_branch'), []);
});

test('no fan_in_after_exclusive_branch for an inclusive join after a decision', () => {
  assert.deepEqual(validateFlowchart(exclusive({ policy: 'inclusive' })), { valid: true, errors: [], warnings: [] });
});

test('no fan_in_after_exclusive_branch when both inputs can come out of the same branch', () => {
  const doc = exclusive({ policy: 'all' });
  doc.edges.push(edge('ab', 'a', 'b'));
  assert.deepEqual(issues(validateFlowchart(doc), 'fan_in_after_exclusive_branch'), []);
});

test('no fan_in_after_exclusive_branch when the decision does not dominate both inputs', () => {
  const doc = exclusive({ policy: 'all' });
  doc.edges.push(edge('sb', 'start', 'b'));
  assert.deepEqual(issues(validateFlowchart(doc), 'fan_in_after_exclusive_branch'), []);
});
