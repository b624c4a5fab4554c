import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentToGraph } from '../src/core/document-graph.ts';
import { measureNodes } from '../src/core/graph-ops.ts';
import { indexIssues } from '../src/core/validation-issues.ts';
import { FlowElementCache } from '../src/views/graph/flow-elements.ts';
import { nodeAt } from '../src/views/graph/low-detail-layer.tsx';
import { triageDoc } from './fixtures.ts';

const none = new Map();

test('rebuilding the canvas nodes reuses every node object whose graph node, problems and selection are unchanged', () => {
  const g = documentToGraph(triageDoc());
  const cache = new FlowElementCache();
  const first = cache.nodes({ nodes: g.nodes, issuesByNode: none, selected: new Set(), sizes: none, estimate: false, hidden: false });
  const second = cache.nodes({ nodes: g.nodes, issuesByNode: none, selected: new Set(['classify']), sizes: none, estimate: false, hidden: false });
  for (let i = 0; i < g.nodes.length; i++) {
    if (g.nodes[i]!.id === 'classify') assert.notEqual(second[i], first[i]);
    else assert.equal(second[i], first[i], g.nodes[i]!.id);
  }
  // A validation answer that says the same thing again (new arrays) keeps the objects too.
  const issue = { code: 'model_unknown', message: 'no such model', node_id: 'classify', path: '/nodes/1' };
  const a = indexIssues({ errors: [issue], warnings: [] });
  const b = indexIssues({ errors: [{ ...issue }], warnings: [] });
  const withA = cache.nodes({ nodes: g.nodes, issuesByNode: a.byNode, selected: new Set(), sizes: none, estimate: false, hidden: false });
  const withB = cache.nodes({ nodes: g.nodes, issuesByNode: b.byNode, selected: new Set(), sizes: none, estimate: false, hidden: false });
  assert.deepEqual(withB, withA);
  withA.forEach((n, i) => assert.equal(withB[i], n));
  // One measured node: only that object changes.
  const measured = measureNodes(g, new Map([['route', { width: 200, height: 80 }]]));
  const after = cache.nodes({ nodes: measured.nodes, issuesByNode: b.byNode, selected: new Set(), sizes: none, estimate: false, hidden: false });
  after.forEach((n, i) => (n.id === 'route' ? assert.deepEqual(n.measured, { width: 200, height: 80 }) : assert.equal(n, withB[i])));
});

test('big graphs give unmeasured nodes an estimated size and handles, and measured ones their real size without handles', () => {
  const g = documentToGraph(triageDoc());
  const cache = new FlowElementCache();
  const nodes = cache.nodes({ nodes: g.nodes, issuesByNode: none, selected: new Set(), sizes: new Map([['route', { width: 170, height: 90 }]]), estimate: true, hidden: false });
  for (const n of nodes) {
    assert.ok((n.measured?.width ?? 0) >= 160 && (n.measured?.height ?? 0) > 40, n.id);
    if (n.id === 'route') {
      assert.deepEqual(n.measured, { width: 170, height: 90 });
      assert.equal(n.handles, undefined);
    } else {
      const target = n.handles?.find((h) => h.type === 'target');
      assert.ok(target, n.id);
      assert.equal(target.y + 4.5, n.measured!.height! / 2, 'the target handle is vertically centred');
      assert.equal(n.handles!.some((h) => h.type === 'source'), n.type !== 'end');
    }
  }
});

test('a click on the low-detail layer finds the node under it, and nothing between nodes', () => {
  const g = documentToGraph(triageDoc());
  const nodes = new FlowElementCache().nodes({ nodes: g.nodes, issuesByNode: none, selected: new Set(), sizes: none, estimate: true, hidden: true });
  const route = nodes.find((n) => n.id === 'route')!;
  assert.equal(route.hidden, true);
  assert.equal(nodeAt(nodes, route.position.x + 10, route.position.y + 10, 0.2), 'route');
  assert.equal(nodeAt(nodes, route.position.x - 500, route.position.y - 500, 0.2), null);
});
