import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildDigraph, dominates, immediateDominators, reachableFrom, stronglyConnectedComponents,
} from '../../src/validation/index.ts';

const arcs = (...pairs: [string, string][]) => pairs.map(([source, target]) => ({ source, target }));

test('buildDigraph ignores arcs that name unknown vertices', () => {
  const g = buildDigraph(['a', 'b'], arcs(['a', 'b'], ['a', 'x'], ['y', 'b']));
  assert.deepEqual(g.succ.get('a'), ['b']);
  assert.deepEqual(g.pred.get('b'), ['a']);
});

test('reachableFrom includes the roots and follows arcs forward', () => {
  const g = buildDigraph(['a', 'b', 'c', 'd'], arcs(['a', 'b'], ['b', 'c'], ['d', 'a']));
  assert.deepEqual([...reachableFrom(g, ['a'])].sort(), ['a', 'b', 'c']);
});

test('reachableFrom never enters an avoided vertex', () => {
  const g = buildDigraph(['a', 'j', 'b', 'c'], arcs(['a', 'j'], ['j', 'b'], ['a', 'c']));
  assert.deepEqual([...reachableFrom(g, ['a'], new Set(['j']))].sort(), ['a', 'c']);
  assert.deepEqual([...reachableFrom(g, ['j'], new Set(['j']))], []);
});

test('stronglyConnectedComponents finds loops and singletons', () => {
  const g = buildDigraph(['s', 'a', 'b', 'c', 'e'], arcs(['s', 'a'], ['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'e']));
  const comps = stronglyConnectedComponents(g).map((c) => c.join(',')).sort();
  assert.deepEqual(comps, ['a,b,c', 'e', 's']);
});

test('stronglyConnectedComponents handles a long chain without overflowing the stack', () => {
  const ids = Array.from({ length: 20000 }, (_, i) => `n${i}`);
  const g = buildDigraph(ids, ids.slice(1).map((id, i) => ({ source: ids[i] as string, target: id })).concat({ source: 'n19999', target: 'n0' }));
  const comps = stronglyConnectedComponents(g);
  assert.equal(comps.length, 1);
  assert.equal(comps[0]?.length, 20000);
});

test('immediateDominators of a diamond: the branch point dominates the merge', () => {
  const g = buildDigraph(['s', 'd', 'x', 'y', 'm'], arcs(['s', 'd'], ['d', 'x'], ['d', 'y'], ['x', 'm'], ['y', 'm']));
  const idom = immediateDominators(g, 's');
  assert.deepEqual(Object.fromEntries(idom), { s: 's', d: 's', x: 'd', y: 'd', m: 'd' });
  assert.equal(dominates(idom, 'd', 'm'), true);
  assert.equal(dominates(idom, 'x', 'm'), false);
  assert.equal(dominates(idom, 'm', 'm'), true);
});

test('immediateDominators handles loops and leaves unreachable vertices out', () => {
  const g = buildDigraph(['s', 'h', 'b', 'e', 'u'], arcs(['s', 'h'], ['h', 'b'], ['b', 'h'], ['h', 'e'], ['u', 'e']));
  const idom = immediateDominators(g, 's');
  assert.equal(idom.get('b'), 'h');
  assert.equal(idom.get('e'), 'h');
  assert.equal(idom.has('u'), false);
  assert.equal(dominates(idom, 'u', 'e'), false);
});
