import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSample, nodeTestBody, templatePaths } from '../src/core/node-test.ts';
import type { Graph } from '../src/core/types.ts';

const edge = (id: string, source: string, target: string, mode?: 'trigger' | 'context') =>
  ({ id, source, target, data: { edge: { id, source, target, ...(mode ? { mode } : {}) } } }) as Graph['edges'][number];
const node = (id: string, type: string, config?: Record<string, unknown>) =>
  ({ id, type, position: { x: 0, y: 0 }, data: { node: { id, type, ...(config ? { config } : {}) } } }) as Graph['nodes'][number];

const graph = {
  nodes: [
    node('start', 'start'),
    node('b', 'task', { model: 'm', system: 'Be {{input.tone}}', prompt: 'Fix {{input.ticket.title}} given {{upstream.a.label}} and {{context.mem}}; {{run.id}}', output_schema: { description: '{{input.no}}' } }),
  ],
  edges: [edge('e1', 'a', 'b'), edge('e2', 'mem', 'b', 'context'), edge('e3', 'b', 'end'), edge('e4', 'start', 'a')],
};

test('the paths a node reads are listed once each, output_schema excluded', () => {
  assert.deepEqual(templatePaths(graph.nodes[1]!.data.node), ['input.tone', 'input.ticket.title', 'upstream.a.label', 'context.mem', 'run.id']);
});

test('the default sample has a placeholder for every input, upstream and context path and each source that enters', () => {
  assert.deepEqual(defaultSample(graph, 'b'), {
    input: { tone: '<input.tone>', ticket: { title: '<input.ticket.title>' } },
    upstream: { a: { label: '<upstream.a.label>' } },
    context: { mem: {} },
  });
});

test('the request carries the node as edited, only the connectors leaving it, the sample and the chosen model', () => {
  const body = nodeTestBody(graph, 'b', { input: {} }, 'other');
  assert.equal(body.node.id, 'b');
  assert.deepEqual(body.edges.map((e) => e.id), ['e3']);
  assert.equal(body.model, 'other');
  assert.equal('model' in nodeTestBody(graph, 'b', {}, null), false);
});
