/**
 * encodeSnapshot keeps each node run's packed text and packs a node run again only when it changed (issue 17, fan-out
 * CPU per node). The text must be exactly what packing every node run afresh gives — including after the changes the
 * engine makes in place (an attempt closed, an attempt appended) — so a state encoded after each step of a run equals
 * the encoding of a deep copy of it (new objects: nothing kept).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RoutingRecord } from '@llmctl/contracts';
import { compileGraph, decide, initialState, type CompiledGraph } from '@llmctl/engine';
import { encodeSnapshot } from '../src/index.ts';
import { flow } from './support/harness.ts';

const NOW = '2026-01-01T00:00:00.000Z';
const big = { text: 'x'.repeat(400) }; // kept by reference in a snapshot

function routing(g: CompiledGraph, nodeId: string): RoutingRecord {
  const ids = (g.triggerOut.get(nodeId) ?? []).map((e) => e.id);
  return { matched_connector_ids: ids, route_key: null, route_keys: [], routing_state: ids.length > 0 ? 'matched' : 'terminal', evaluated: [] };
}

test('a snapshot text is the same as packing every node run afresh, after every step of a fan-out with retries', () => {
  const g = compileGraph(flow(
    [{ id: 's', type: 'start' }, { id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'j', fan_in: { policy: 'all' } }, { id: 'z', type: 'end' }],
    ['s>a', 's>b', 's>c', 'a>j', 'b>j', 'c>j', 'j>z'],
  ));
  const s = initialState('run_1');
  let n = 0;
  const newId = (): string => `nr_${++n}`;
  const steps: string[] = [];
  const check = (step: string): void => {
    steps.push(step);
    const first = encodeSnapshot(s);
    assert.equal(encodeSnapshot(s), first, `${step}: encoding twice gives the same text`);
    assert.equal(first, encodeSnapshot(structuredClone(s)), `${step}: the kept texts equal fresh packing`);
  };
  const running = (nodeId: string): string => s.running.find((id) => s.node_runs[id]!.node_id === nodeId)!;
  decide.start(g, s, { in: 1 }, newId, NOW);
  decide.dispatch(g, s, newId, NOW);
  check('started');
  decide.succeeded(g, s, running('s'), { output: big, routing: routing(g, 's') }, newId, NOW);
  decide.dispatch(g, s, newId, NOW);
  check('fanned out');
  decide.attemptFailed(g, s, running('a'), 1, { code: 'rate_limited', message: 'slow down', details: {}, retryable: true }, '2026-01-01T00:00:01.000Z');
  check('an attempt closed in place');
  decide.attemptStarted(g, s, running('a'), 2, '2026-01-01T00:00:02.000Z');
  check('an attempt appended');
  decide.succeeded(g, s, running('b'), { output: 'b', routing: routing(g, 'b'), warnings: [{ code: 'w', message: 'warned' }] }, newId, NOW);
  check('one branch done, with a warning');
  decide.succeeded(g, s, running('a'), { output: { a: 2 }, routing: routing(g, 'a') }, newId, NOW);
  decide.succeeded(g, s, running('c'), { output: big, routing: routing(g, 'c') }, newId, NOW);
  decide.dispatch(g, s, newId, NOW);
  check('the join fired');
  decide.succeeded(g, s, running('j'), { output: { j: true }, routing: routing(g, 'j') }, newId, NOW);
  decide.dispatch(g, s, newId, NOW);
  decide.succeeded(g, s, running('z'), { output: { j: true }, routing: routing(g, 'z') }, newId, NOW);
  check('the run ended');
  assert.equal(s.status, 'succeeded');
  const parsed = JSON.parse(encodeSnapshot(s)) as { node_runs: unknown[]; $refs: number[] };
  assert.equal(parsed.node_runs.length, 6);
  assert.equal(parsed.$refs.length, 2, 'both large outputs are kept by reference');
});
