import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowchartDocument, FlowchartEdge, FlowchartNode, RoutingRecord } from '@llmctl/contracts';
import { compileGraph, type CompiledGraph } from '../../src/graph.ts';
import { decide } from '../../src/run/decide.ts';
import type { EngineEvent } from '../../src/run/events.ts';
import { applyEvent } from '../../src/run/apply-event.ts';
import { fanInIndex, peekFanInIndex } from '../../src/run/fan-in-index.ts';
import { initialState, type EngineState } from '../../src/run/state.ts';

const NOW = '2026-01-01T00:00:00.000Z';

/** start → k diamonds (a_i → b_i, c_i → join_i), each an `all` join. */
function diamonds(k: number): FlowchartDocument {
  const nodes: FlowchartNode[] = [{ id: 'start', type: 'start' }];
  const edges: FlowchartEdge[] = [];
  for (let i = 1; i <= k; i++) {
    nodes.push({ id: `a${i}`, type: 'task' }, { id: `b${i}`, type: 'task' }, { id: `c${i}`, type: 'task' }, { id: `join${i}`, type: 'task', fan_in: { policy: 'all' } });
    edges.push(
      { id: `s${i}`, source: 'start', target: `a${i}` }, { id: `ab${i}`, source: `a${i}`, target: `b${i}` }, { id: `ac${i}`, source: `a${i}`, target: `c${i}` },
      { id: `bj${i}`, source: `b${i}`, target: `join${i}` }, { id: `cj${i}`, source: `c${i}`, target: `join${i}` },
    );
  }
  return { schema_version: 1, name: 'diamonds', settings: { max_parallel_nodes: 1000 }, nodes, edges };
}

function routing(g: CompiledGraph, nodeId: string): RoutingRecord {
  const ids = (g.triggerOut.get(nodeId) ?? []).map((e) => e.id);
  return { matched_connector_ids: ids, route_key: null, route_keys: [], routing_state: ids.length > 0 ? 'matched' : 'terminal', evaluated: [] };
}

/** Succeeds the running node run of `nodeId` (routing along every connector) and dispatches: one commit. */
function finish(g: CompiledGraph, s: EngineState, nodeId: string, newId: () => string): EngineEvent[] {
  const id = s.running.find((x) => s.node_runs[x]!.node_id === nodeId)!;
  return [...decide.succeeded(g, s, id, { output: { from: nodeId }, routing: routing(g, nodeId) }, newId, NOW), ...decide.dispatch(g, s, newId, NOW).events];
}

function run(k: number): { g: CompiledGraph; s: EngineState; newId: () => string } {
  const g = compileGraph(diamonds(k));
  const s = initialState('run-1');
  let n = 0;
  const newId = (): string => `nr${++n}`;
  decide.start(g, s, null, newId, NOW);
  decide.dispatch(g, s, newId, NOW);
  finish(g, s, 'start', newId);
  for (let i = 1; i <= k; i++) finish(g, s, `a${i}`, newId);
  return { g, s, newId };
}

test('a node result marks dirty only the joins its node runs keep live or its tokens reach, whatever the number of joins', () => {
  const { g, s } = run(50);
  const ix = peekFanInIndex(s)!;
  assert.equal(ix.dirty.size, 0, 'a settle pass leaves no join dirty');
  const b7 = s.running.find((x) => s.node_runs[x]!.node_id === 'b7')!;
  const events: EngineEvent[] = [
    { kind: 'node.succeeded', node_id: 'b7', node_run_id: b7, output: 1, routing: routing(g, 'b7'), outcome: 'success', fallback_used: false, degraded_reason: null, warnings: [], usage: null, at: NOW },
    { kind: 'token.enqueued', node_id: 'join7', connector_id: 'bj7', token: { connector_id: 'bj7', source_node_id: 'b7', source_node_run_id: b7, output: 1, seq: s.seq + 1, order: 0 }, at: NOW },
  ];
  for (const e of events) applyEvent(s, e);
  assert.deepEqual([...ix.dirty], ['join7']);
  assert.equal(ix.joins.get('join7')!.run.get('bj7'), 0);
  assert.equal(ix.joins.get('join7')!.run.get('cj7'), 1, 'c7 still keeps its input live');
});

test('a state reloaded from its JSON in the middle of a fan-in rebuilds its counts and settles exactly like the original', () => {
  const a = run(3);
  const b = { ...a, s: JSON.parse(JSON.stringify(a.s)) as EngineState };
  assert.equal(peekFanInIndex(b.s), undefined);
  let n = 1000;
  const ids = (): string => `x${++n}`;
  let m = 1000;
  const ids2 = (): string => `x${++m}`;
  for (const node of ['b1', 'c2', 'b2', 'c1', 'b3', 'c3', 'join1', 'join2', 'join3']) {
    assert.deepEqual(finish(b.g, b.s, node, ids2), finish(a.g, a.s, node, ids), `finishing ${node}`);
    assert.deepEqual([...fanInIndex(b.s, b.g).joins.values()].map((j) => [j.live, j.liveEmpty]), [...peekFanInIndex(a.s)!.joins.values()].map((j) => [j.live, j.liveEmpty]));
  }
  assert.equal(a.s.status, 'succeeded');
  assert.equal(b.s.status, 'succeeded');
});
