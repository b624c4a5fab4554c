import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertAt, templateVariables } from '../src/core/template-vars.ts';
import type { Graph } from '../src/core/types.ts';

const edge = (id: string, source: string, target: string, mode?: 'trigger' | 'context') =>
  ({ id, source, target, data: { edge: { id, source, target, ...(mode ? { mode } : {}) } } }) as Graph['edges'][number];

test('a node is offered input, its upstream and context sources, node and run', () => {
  const g = { edges: [edge('e1', 'start', 'b'), edge('e2', 'a', 'b'), edge('e3', 'mem', 'b', 'context'), edge('e4', 'b', 'end')] };
  assert.deepEqual(templateVariables(g, 'b').map((v) => v.path), ['input', 'upstream.a', 'upstream.start', 'context.mem', 'node.iteration', 'run.id']);
  assert.equal(templateVariables(g, 'b')[1]!.insert, '{{upstream.a}}');
  assert.deepEqual(templateVariables(g, 'start').map((v) => v.path), ['input', 'node.iteration', 'run.id']);
});

test('a variable is inserted at the cursor with a separating space', () => {
  assert.equal(insertAt('Classify', '{{input.text}}'), 'Classify {{input.text}}');
  assert.equal(insertAt('', '{{input}}'), '{{input}}');
  assert.equal(insertAt('A  B', '{{x}}', 2), 'A {{x}} B');
});
