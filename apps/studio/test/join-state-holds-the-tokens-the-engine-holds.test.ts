/**
 * The studio's join fold (core/join-state.ts) against the engine's own projection: over every v1 event log of the
 * runtime fixture (joins, decisions, loops, retries, rewinds), after each event the tokens the studio shows as held
 * per join connector are exactly the tokens the engine's folded state holds. Discards are kept, not dropped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { applyEvent, initialState, type EngineEvent } from '@llmctl/engine';
import { foldJoinEvent, heldCount, type JoinViews } from '../src/core/join-state.ts';

interface Fixture {
  runs: { name: string; run_id: string; events: { sequence: number; payload: EngineEvent }[] }[];
}
const fixture = JSON.parse(readFileSync(new URL('../../../packages/runtime/test/fixtures/run-logs-v1.json', import.meta.url), 'utf8')) as Fixture;

type Held = Record<string, Record<string, (string | null)[]>>;

function engineHeld(joins: Record<string, { queues: Record<string, { source_node_run_id: string | null }[]> }>): Held {
  const out: Held = {};
  for (const [node, j] of Object.entries(joins)) {
    for (const [c, q] of Object.entries(j.queues)) if (q.length) (out[node] ??= {})[c] = q.map((t) => t.source_node_run_id);
  }
  return out;
}

function studioHeld(joins: JoinViews): Held {
  const out: Held = {};
  for (const [node, j] of Object.entries(joins)) {
    for (const [c, q] of Object.entries(j.queues)) if (q.length) (out[node] ??= {})[c] = q.map((t) => t.source_node_run_id);
  }
  return out;
}

test('after every event of every v1 log, the studio holds the tokens the engine holds', () => {
  let sawHeld = false;
  for (const r of fixture.runs) {
    const s = initialState(r.run_id);
    let joins: JoinViews = {};
    for (const e of r.events) {
      applyEvent(s, e.payload);
      joins = foldJoinEvent(joins, { payload: e.payload });
      const expected = engineHeld(s.joins as never);
      if (Object.keys(expected).length) sawHeld = true;
      assert.deepEqual(studioHeld(joins), expected, `${r.name} after sequence ${e.sequence} (${e.payload.kind})`);
    }
  }
  assert.ok(sawHeld, 'the fixture has a join holding tokens');
});

test('a discarded join keeps its tokens as discarded and holds none', () => {
  const tok = (c: string, from: string) => ({ connector_id: c, source_node_id: from, source_node_run_id: `nr_${from}`, output: null, seq: 1, order: 0 });
  let j: JoinViews = {};
  j = foldJoinEvent(j, { payload: { kind: 'token.enqueued', node_id: 'merge', connector_id: 'e5', token: tok('e5', 'fix'), at: 't1' } });
  assert.equal(heldCount(j.merge!), 1);
  j = foldJoinEvent(j, { payload: { kind: 'join.discarded', node_id: 'merge', tokens: [{ node_id: 'merge', connector_id: 'e5', source_node_run_id: 'nr_fix' }], at: 't2' } });
  assert.equal(heldCount(j.merge!), 0);
  assert.deepEqual(j.merge!.discarded.map((d) => [d.connector_id, d.source_node_run_id, d.reason, d.at]), [['e5', 'nr_fix', 'join.discarded', 't2']]);
  j = foldJoinEvent(j, { payload: { kind: 'run.status', status: 'succeeded', from: 'running', leftover_tokens: [{ node_id: 'other', connector_id: 'e9', source_node_run_id: 'nr_x' }], at: 't3' } });
  assert.deepEqual(j.other!.discarded.map((d) => [d.connector_id, d.reason]), [['e9', 'run_finished']]);
  assert.equal(foldJoinEvent(j, { payload: { kind: 'node.started', node_run_id: 'x' } }), j, 'other events change nothing');
});
