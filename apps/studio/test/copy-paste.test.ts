import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copySelection, parseClipboard, pasteClipboard, serializeClipboard } from '../src/core/clipboard.ts';
import { documentToGraph } from '../src/core/document-graph.ts';
import { triageDoc } from './fixtures.ts';

test('copy keeps only connectors between copied nodes', () => {
  const g = documentToGraph(triageDoc());
  const clip = copySelection(g, ['route', 'bug', 'other'])!;
  assert.deepEqual(clip.nodes.map((n) => n.node.id), ['route', 'bug', 'other']);
  assert.deepEqual(clip.edges.map((e) => e.id), ['e3', 'e4']);
});

test('paste gives fresh node and edge ids and rewires connectors to them', () => {
  const g = documentToGraph(triageDoc());
  const r = pasteClipboard(g, copySelection(g, ['route', 'bug'])!);
  assert.deepEqual(r.nodeIds, ['route_2', 'bug_2']);
  const pasted = r.graph.edges.filter((e) => r.edgeIds.includes(e.id));
  assert.equal(pasted.length, 1);
  assert.equal(pasted[0]!.source, 'route_2');
  assert.equal(pasted[0]!.target, 'bug_2');
  assert.equal(pasted[0]!.data.edge.condition, "output.category = 'bug'");
  assert.equal(new Set(r.graph.edges.map((e) => e.id)).size, r.graph.edges.length);
});

test('pasted nodes are offset from the originals', () => {
  const g = documentToGraph(triageDoc());
  const orig = g.nodes.find((n) => n.id === 'bug')!.position;
  const r = pasteClipboard(g, copySelection(g, ['bug'])!, { x: 40, y: 40 });
  const p = r.graph.nodes.find((n) => n.id === 'bug_2')!.position;
  assert.deepEqual(p, { x: orig.x + 40, y: orig.y + 40 });
});

test('pasting twice never reuses an id', () => {
  const g = documentToGraph(triageDoc());
  const clip = copySelection(g, ['bug'])!;
  const once = pasteClipboard(g, clip).graph;
  const twice = pasteClipboard(once, clip).graph;
  assert.deepEqual(twice.nodes.map((n) => n.id).filter((id) => id.startsWith('bug')), ['bug', 'bug_2', 'bug_3']);
});

test('a clipboard survives serialisation and foreign text is rejected', () => {
  const g = documentToGraph(triageDoc());
  const clip = copySelection(g, ['bug'])!;
  assert.deepEqual(parseClipboard(serializeClipboard(clip)), clip);
  assert.equal(parseClipboard('hello'), null);
  assert.equal(parseClipboard('{"nodes":[]}'), null);
});

test('copying nothing yields null', () => {
  assert.equal(copySelection(documentToGraph(triageDoc()), []), null);
});
