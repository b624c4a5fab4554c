import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editorReducer, initEditor, isDirty, type EditorState } from '../src/core/editor-state.ts';
import { documentToGraph, graphToDocument } from '../src/core/document-graph.ts';
import { setConfigField } from '../src/core/graph-ops.ts';
import { triageDoc } from './fixtures.ts';

const init = (): EditorState => initEditor(documentToGraph(triageDoc()));

test('adding a node selects it, marks the editor dirty, and undo removes it', () => {
  let s = editorReducer(init(), { type: 'addNode', nodeType: 'memory', position: { x: 1, y: 2 } });
  assert.deepEqual(s.selectedNodes, ['memory']);
  assert.equal(isDirty(s), true);
  s = editorReducer(s, { type: 'undo' });
  assert.equal(s.history.present.nodes.some((n) => n.id === 'memory'), false);
  assert.deepEqual(s.selectedNodes, []);
  assert.equal(isDirty(s), false);
});

test('deleting a selected node removes its connectors in one undo step', () => {
  let s = editorReducer(init(), { type: 'select', nodes: ['route'], edges: [] });
  s = editorReducer(s, { type: 'deleteSelection' });
  assert.equal(s.history.present.edges.some((e) => e.source === 'route' || e.target === 'route'), false);
  s = editorReducer(s, { type: 'undo' });
  assert.equal(s.history.present.edges.length, 6);
});

test('connecting adds a trigger connector and a duplicate connect is ignored', () => {
  let s = editorReducer(init(), { type: 'connect', source: 'bug', target: 'other' });
  assert.equal(s.history.present.edges.length, 7);
  const again = editorReducer(s, { type: 'connect', source: 'bug', target: 'other' });
  assert.equal(again, s);
  s = editorReducer(s, { type: 'connect', source: 'bug', target: 'other', mode: 'context' });
  assert.equal(s.history.present.edges.at(-1)!.data.edge.mode, 'context');
});

test('a drag is a single undo step', () => {
  let s = init();
  const before = s.history.present.nodes[0]!.position;
  s = editorReducer(s, { type: 'move', positions: [['start', { x: 5, y: 5 }]], dragging: true });
  s = editorReducer(s, { type: 'move', positions: [['start', { x: 50, y: 50 }]], dragging: true });
  s = editorReducer(s, { type: 'move', positions: [['start', { x: 60, y: 60 }]], dragging: false });
  assert.deepEqual(s.history.present.nodes[0]!.position, { x: 60, y: 60 });
  assert.deepEqual(editorReducer(s, { type: 'undo' }).history.present.nodes[0]!.position, before);
});

test('measuring nodes neither creates undo steps nor dirties the document', () => {
  const s = editorReducer(init(), { type: 'measure', sizes: [['start', { width: 100, height: 40 }]] });
  assert.equal(s.history.past.length, 0);
  assert.equal(isDirty(s), false);
});

test('typing into one field coalesces into one undo step', () => {
  let s = init();
  for (const p of ['a', 'ab', 'abc']) s = editorReducer(s, { type: 'updateNode', id: 'bug', fn: (n) => setConfigField(n, 'prompt', p), key: 'bug.prompt' });
  assert.equal(s.history.past.length, 1);
  assert.equal(graphToDocument(s.history.present).nodes.find((n) => n.id === 'bug')!.config!.prompt, 'abc');
});

test('renaming a node rewires its connectors and keeps it selected', () => {
  let s = editorReducer(init(), { type: 'select', nodes: ['route'], edges: [] });
  s = editorReducer(s, { type: 'renameNode', from: 'route', to: 'router' });
  const doc = graphToDocument(s.history.present);
  assert.ok(doc.edges.every((e) => e.source !== 'route' && e.target !== 'route'));
  assert.equal(doc.edges.filter((e) => e.source === 'router').length, 2);
  assert.deepEqual(s.selectedNodes, ['router']);
});

test('renaming to an id that exists is refused', () => {
  const s = init();
  assert.equal(editorReducer(s, { type: 'renameNode', from: 'route', to: 'bug' }), s);
});

test('editing a connector toggles it to context and back', () => {
  let s = editorReducer(init(), { type: 'updateEdge', id: 'e5', patch: { mode: 'context' } });
  assert.equal(graphToDocument(s.history.present).edges.find((e) => e.id === 'e5')!.mode, 'context');
  s = editorReducer(s, { type: 'updateEdge', id: 'e5', patch: { mode: 'trigger' } });
  assert.equal(graphToDocument(s.history.present).edges.find((e) => e.id === 'e5')!.mode, undefined);
});

test('saved resets the dirty flag', () => {
  let s = editorReducer(init(), { type: 'layout' });
  s = editorReducer(s, { type: 'addNode', nodeType: 'rag', position: { x: 0, y: 0 } });
  assert.equal(isDirty(s), true);
  assert.equal(isDirty(editorReducer(s, { type: 'saved' })), false);
});

test('a node added with avoidOverlap never lands on an existing node', () => {
  let s = init();
  const start = s.history.present.nodes.find((n) => n.id === 'start')!.position;
  s = editorReducer(s, { type: 'addNode', nodeType: 'task', position: start, avoidOverlap: true });
  const added = s.history.present.nodes.find((n) => n.id === 'task')!.position;
  assert.notDeepEqual(added, start);
  const overlaps = s.history.present.nodes.filter((n) => n.id !== 'task' && Math.abs(n.position.x - added.x) < 180 && Math.abs(n.position.y - added.y) < 64);
  assert.deepEqual(overlaps, []);
});

test('undo history survives a save: undoing after a save brings back the unsaved state', () => {
  let s = editorReducer(init(), { type: 'addNode', nodeType: 'rag', position: { x: 0, y: 0 } });
  s = editorReducer(s, { type: 'saved' });
  assert.equal(isDirty(s), false);
  s = editorReducer(s, { type: 'undo' });
  assert.equal(s.history.present.nodes.some((n) => n.id === 'rag'), false);
  assert.equal(isDirty(s), true, 'the saved version has the node, the editor no longer does');
});

test('restoring a draft is one undoable edit and leaves the editor dirty', () => {
  const base = init();
  const draft = editorReducer(base, { type: 'addNode', nodeType: 'plan', position: { x: 5, y: 5 } }).history.present;
  let s = editorReducer(base, { type: 'restore', graph: draft });
  assert.equal(isDirty(s), true);
  assert.ok(s.history.present.nodes.some((n) => n.id === 'plan'));
  s = editorReducer(s, { type: 'undo' });
  assert.equal(isDirty(s), false);
});
