import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowchartDocument } from '@llmctl/contracts';
import { compileGraph, fanInCountValid, validateFlowchart } from '@llmctl/engine';
import { documentToGraph } from '../src/core/document-graph.ts';
import { joinInputCount } from '../src/core/graph-ops.ts';

// Issue 18 ("one run model from engine to studio"): the studio's fan-in editor asks the engine what a join is and
// which counts are valid, so what it flags is exactly what the server refuses on save and what the runtime joins.

function doc(fanIn?: { policy: 'count'; count: number }): FlowchartDocument {
  return {
    schema_version: 1, name: 'joins',
    nodes: [
      { id: 's', type: 'start' },
      { id: 'a', type: 'task', config: { model: 'm', prompt: 'a' } },
      { id: 'b', type: 'task', config: { model: 'm', prompt: 'b' } },
      { id: 'c', type: 'task', config: { model: 'm', prompt: 'c' } },
      { id: 'j', type: 'task', config: { model: 'm', prompt: 'j' }, ...(fanIn ? { fan_in: fanIn } : {}) },
      { id: 'z', type: 'end' },
    ],
    edges: [
      { id: 'e1', source: 's', target: 'a' }, { id: 'e2', source: 's', target: 'b' }, { id: 'e3', source: 's', target: 'c' },
      { id: 'e4', source: 'a', target: 'j' }, { id: 'e5', source: 'b', target: 'j' },
      { id: 'e6', source: 'c', target: 'j', mode: 'context' },
      { id: 'e7', source: 'j', target: 'z' },
      // a start node never joins, whatever points at it
      { id: 'e8', source: 'a', target: 's' }, { id: 'e9', source: 'b', target: 's' },
    ],
  };
}

test('the editor counts join inputs as the engine does: trigger connectors only, none for a start node', () => {
  const graph = documentToGraph(doc());
  const node = (id: string) => doc().nodes.find((n) => n.id === id)!;
  assert.equal(joinInputCount(graph, node('j')), 2, 'the context connector is not a join input');
  assert.equal(joinInputCount(graph, node('s')), 0, 'a start node never joins');
  const compiled = compileGraph(doc(), { max_node_executions: 10, max_runtime_minutes: 1, max_parallel_nodes: 1, max_continuations: 1 });
  assert.deepEqual([...compiled.joins.keys()], ['j']);
  assert.deepEqual(compiled.joins.get('j'), { policy: 'inclusive' }, 'the default policy');
});

test('a count the editor flags is exactly a count the save-time validation refuses with fan_in_invalid', () => {
  const inputs = joinInputCount(documentToGraph(doc()), doc().nodes.find((n) => n.id === 'j')!);
  for (const count of [0, 1, 2, 3, 1.5, -1]) {
    const refused = validateFlowchart(doc({ policy: 'count', count }), { modelExists: () => true }).errors.some((e) => e.code === 'fan_in_invalid');
    assert.equal(refused, !fanInCountValid(count, inputs), `count ${count}`);
  }
});
