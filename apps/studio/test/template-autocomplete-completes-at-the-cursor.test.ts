import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyCompletion, completionAt, completionPaths } from '../src/core/template-vars.ts';
import type { Graph } from '../src/core/types.ts';

const edge = (id: string, source: string, target: string, mode?: 'trigger' | 'context') =>
  ({ id, source, target, data: { edge: { id, source, target, ...(mode ? { mode } : {}) } } }) as Graph['edges'][number];
const node = (id: string, type: string, config?: Record<string, unknown>) =>
  ({ id, type, position: { x: 0, y: 0 }, data: { node: { id, type, ...(config ? { config } : {}) } } }) as Graph['nodes'][number];

const graph = {
  nodes: [node('a', 'task', { prompt: 'x' }), node('c', 'task', { output_schema: { type: 'object', properties: { label: {}, score: {} } } }), node('mem', 'memory'), node('b', 'task')],
  edges: [edge('e1', 'a', 'b'), edge('e2', 'c', 'b'), edge('e3', 'mem', 'b', 'context')],
};
const paths = completionPaths(graph, 'b');

test('known names include each source\'s output fields: {text} for a plain task, schema properties otherwise', () => {
  assert.deepEqual(paths, ['input', 'upstream.a', 'upstream.a.text', 'upstream.c', 'upstream.c.label', 'upstream.c.score', 'context.mem', 'node.iteration', 'run.id']);
});

test('typing {{ offers every name; a prefix narrows it; the insert closes the braces unless they follow', () => {
  const all = completionAt('Fix {{', 6, paths, 'template')!;
  assert.equal(all.items.length, paths.length);
  const up = completionAt('Fix {{ upstream.c', 17, paths, 'template')!;
  assert.deepEqual(up.items.map((i) => i.path), ['upstream.c', 'upstream.c.label', 'upstream.c.score']);
  assert.deepEqual(applyCompletion('Fix {{ upstream.c', up, up.items[1]!.insert), { text: 'Fix {{ upstream.c.label}}', caret: 25 });
  const inside = completionAt('{{ups}} tail', 5, paths, 'template')!;
  assert.equal(inside.items[0]!.insert, 'upstream.a');
  assert.equal(applyCompletion('{{ups}} tail', inside, 'upstream.a').text, '{{upstream.a}} tail');
});

test('a bare upstream. in a prompt inserts the placeholder with braces; in a condition the bare path', () => {
  const t = completionAt('Use upstream.', 13, paths, 'template')!;
  assert.deepEqual(t.items.map((i) => i.insert).slice(0, 2), ['{{upstream.a}}', '{{upstream.a.text}}']);
  assert.equal(applyCompletion('Use upstream.', t, t.items[0]!.insert).text, 'Use {{upstream.a}}');
  const c = completionAt('output.x = 1 and context.', 25, paths, 'condition')!;
  assert.deepEqual(c.items, [{ path: 'context.mem', insert: 'context.mem' }]);
});

test('nothing is offered after a closed placeholder, for plain words or when nothing matches', () => {
  assert.equal(completionAt('{{input}} and', 13, paths, 'template'), null);
  assert.equal(completionAt('Classify this', 13, paths, 'template'), null);
  assert.equal(completionAt('{{zzz', 5, paths, 'template'), null);
  assert.equal(completionAt('myupstream.', 11, paths, 'condition'), null);
});
