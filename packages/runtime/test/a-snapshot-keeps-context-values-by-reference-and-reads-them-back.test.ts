/**
 * Context values stored once (issue 17, session 4): a node run's `context` holds the outputs of its context sources,
 * which their own events already logged. A snapshot keeps each such value by reference to its source node run (packed
 * as `[context, refs]`), and decoding the snapshot puts it back; a context packed inline (every snapshot written
 * before, or a value that is not its source's output) still reads as it is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RoutingRecord } from '@llmctl/contracts';
import { compileGraph, decide, initialState, type CompiledGraph, type EngineState } from '@llmctl/engine';
import { SNAPSHOT_FORMAT, decodeSnapshot, encodeSnapshot, snapshotRefs } from '../src/index.ts';
import { flow } from './support/harness.ts';

const NOW = '2026-01-01T00:00:00.000Z';
const A_TEXT = 'a'.repeat(300);
const S_TEXT = 's'.repeat(200); // under the snapshot's inline-output size: the start's output stays in its node run

function routing(g: CompiledGraph, nodeId: string): RoutingRecord {
  const ids = (g.triggerOut.get(nodeId) ?? []).map((e) => e.id);
  return { matched_connector_ids: ids, route_key: null, route_keys: [], routing_state: ids.length > 0 ? 'matched' : 'terminal', evaluated: [] };
}

/** s → a → b → z, with context connectors a ⇢ b and s ⇢ b: b has started with both outputs as its context. */
function stateWithContext(aOutput: (s: EngineState) => unknown): EngineState {
  const g = compileGraph(flow(
    [{ id: 's', type: 'start' }, { id: 'a' }, { id: 'b' }, { id: 'z', type: 'end' }],
    ['s>a', 'a>b', 'b>z', { source: 'a', target: 'b', mode: 'context' }, { source: 's', target: 'b', mode: 'context' }],
  ));
  const s = initialState('run_1');
  let n = 0;
  const newId = (): string => `nr_${++n}`;
  const running = (nodeId: string): string => s.running.find((id) => s.node_runs[id]!.node_id === nodeId)!;
  decide.start(g, s, { in: 1 }, newId, NOW);
  decide.dispatch(g, s, newId, NOW);
  decide.succeeded(g, s, running('s'), { output: { text: S_TEXT }, routing: routing(g, 's') }, newId, NOW);
  decide.dispatch(g, s, newId, NOW);
  decide.succeeded(g, s, running('a'), { output: aOutput(s), routing: routing(g, 'a') }, newId, NOW);
  decide.dispatch(g, s, newId, NOW);
  return s;
}

/** Decodes a snapshot text as a store would load it (the referenced outputs read from the events that logged them). */
function load(text: string, s: EngineState): EngineState {
  const bySeq = new Map(Object.values(s.node_runs).map((nr) => [nr.done_seq, nr.output]));
  const outputs = Object.fromEntries(snapshotRefs(text).map((seq) => [String(seq), bySeq.get(seq)]));
  return decodeSnapshot(JSON.parse(text) as EngineState, SNAPSHOT_FORMAT, outputs);
}

test('a snapshot keeps context values by reference to their source node runs and reads them back', () => {
  const s = stateWithContext(() => ({ text: A_TEXT }));
  const b = Object.values(s.node_runs).find((nr) => nr.node_id === 'b')!;
  assert.deepEqual(Object.keys(b.context ?? {}).sort(), ['a', 's']);
  const text = encodeSnapshot(s);
  assert.equal(text.split(A_TEXT).length - 1, 0, 'a\'s output is kept by reference (node run and context)');
  assert.equal(text.split(S_TEXT).length - 1, 1, 'the start\'s output is in its node run only, not in b\'s context');
  const back = load(text, s);
  assert.deepEqual(back, JSON.parse(JSON.stringify(s)));
  const bBack = back.node_runs[b.id]!;
  assert.equal(bBack.context!.a, Object.values(back.node_runs).find((nr) => nr.node_id === 'a')!.output, 'the value IS the source output again');
  assert.equal(encodeSnapshot(back), text, 'a decoded state encodes to the same text');
});

test('a context value that is not its source\'s output is packed inline and reads as it is', () => {
  // a's output and b's context value are equal but not the same object (as in a snapshot written before references)
  const s = stateWithContext(() => ({ text: A_TEXT }));
  const b = Object.values(s.node_runs).find((nr) => nr.node_id === 'b')!;
  b.context = structuredClone(b.context);
  const text = encodeSnapshot(s);
  assert.equal(text.split(A_TEXT).length - 1, 1, 'inline in b\'s context only (a\'s output itself is kept by reference)');
  const parsed = JSON.parse(text) as { node_runs: unknown[][] };
  assert.ok(parsed.node_runs.every((p) => !Array.isArray(p[13])), 'no context is packed with references (field 13: context)');
  assert.deepEqual(load(text, s), JSON.parse(JSON.stringify(s)));
});
