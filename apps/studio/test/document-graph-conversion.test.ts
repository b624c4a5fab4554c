import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentToGraph, graphToDocument, newFlowchartDocument } from '../src/core/document-graph.ts';
import { triageDoc } from './fixtures.ts';

test('a document without positions is auto-laid-out left to right', () => {
  const g = documentToGraph(triageDoc());
  const x = (id: string): number => g.nodes.find((n) => n.id === id)!.position.x;
  assert.ok(x('start') < x('classify'));
  assert.ok(x('classify') < x('route'));
  assert.ok(x('route') < x('bug'));
  assert.ok(x('bug') < x('done'));
});

test('document → graph → document keeps every node and edge field and adds ui positions', () => {
  const doc = triageDoc();
  const back = graphToDocument(documentToGraph(doc));
  assert.equal(back.name, doc.name);
  assert.deepEqual(back.edges, doc.edges);
  assert.deepEqual(back.nodes.map(({ ui: _ui, ...n }) => n), doc.nodes);
  for (const n of back.nodes) assert.equal(typeof n.ui?.x, 'number');
});

test('stored ui positions are used as-is and other ui keys survive', () => {
  const doc = newFlowchartDocument('x');
  doc.nodes[0]!.ui = { x: 11, y: 22, color: 'red' };
  const g = documentToGraph(doc);
  assert.deepEqual(g.nodes[0]!.position, { x: 11, y: 22 });
  assert.deepEqual(graphToDocument(g).nodes[0]!.ui, { color: 'red', x: 11, y: 22 });
});

test('a second conversion of a saved document is identical (stable round trip)', () => {
  const once = graphToDocument(documentToGraph(triageDoc()));
  const twice = graphToDocument(documentToGraph(once));
  assert.deepEqual(twice, once);
});
