import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeLayering, layoutPositions } from '../src/core/layout.ts';

test('every edge of a DAG goes from a lower layer to a higher one', () => {
  const edges = [
    { source: 'a', target: 'b' }, { source: 'a', target: 'c' }, { source: 'b', target: 'd' }, { source: 'c', target: 'd' }, { source: 'a', target: 'd' },
  ];
  const { layer } = computeLayering(['d', 'c', 'b', 'a'], edges);
  for (const e of edges) assert.ok(layer.get(e.source)! < layer.get(e.target)!, `${e.source}→${e.target}`);
  assert.equal(layer.get('d'), 2);
});

test('cycles are broken at back edges instead of looping forever', () => {
  const edges = [{ source: 's', target: 'a' }, { source: 'a', target: 'b' }, { source: 'b', target: 'a' }, { source: 'b', target: 's' }];
  const r = computeLayering(['s', 'a', 'b'], edges, { roots: ['s'] });
  assert.equal(r.layer.get('s'), 0);
  assert.equal(r.layer.get('a'), 1);
  assert.equal(r.layer.get('b'), 2);
  assert.deepEqual(r.backEdges.map((e) => `${e.source}>${e.target}`).sort(), ['b>a', 'b>s']);
});

test('no two nodes get the same position', () => {
  const ids = ['s', 'a', 'b', 'c', 'd', 'x'];
  const pos = layoutPositions(ids, [{ source: 's', target: 'a' }, { source: 's', target: 'b' }, { source: 's', target: 'c' }, { source: 'a', target: 'd' }]);
  const keys = new Set([...pos.values()].map((p) => `${p.x},${p.y}`));
  assert.equal(keys.size, ids.length);
});

test('layout is deterministic', () => {
  const edges = [{ source: 's', target: 'a' }, { source: 's', target: 'b' }, { source: 'b', target: 'c' }, { source: 'a', target: 'c' }];
  assert.deepEqual([...layoutPositions(['s', 'a', 'b', 'c'], edges)], [...layoutPositions(['s', 'a', 'b', 'c'], edges)]);
});

test('barycenter ordering removes an avoidable crossing', () => {
  // s→a, s→b; a→y, b→x: with x listed first, ordering by parents puts y above x.
  const edges = [{ source: 's', target: 'a' }, { source: 's', target: 'b' }, { source: 'a', target: 'y' }, { source: 'b', target: 'x' }];
  const { layers } = computeLayering(['s', 'a', 'b', 'x', 'y'], edges, { roots: ['s'] });
  const l1 = layers[1]!;
  const l2 = layers[2]!;
  assert.equal(l1.indexOf('a') < l1.indexOf('b'), l2.indexOf('y') < l2.indexOf('x'));
});
