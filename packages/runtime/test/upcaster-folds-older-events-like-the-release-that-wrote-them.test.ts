/**
 * The upcaster runs before the fold: a log written before event format 2 (events without `v`) folds to the state the
 * release that wrote it folded to. Synthetic format-1 events of the oldest shape: a `run.rewound` whose joins predate
 * the `held` / `filled` counters (commit 0dff223). Folded raw, the join's counter becomes NaN; upcast, it is exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_FORMAT_VERSION, LlmctlError, eventFormatOf, upcastRunEvent } from '@llmctl/contracts';
import { applyEvent, foldEvent, initialState, type EngineEvent } from '@llmctl/engine';
import { InMemoryRunStore, foldLog } from '../src/index.ts';

const at = '2026-01-01T00:00:00.000Z';
const tok = (c: string, from: string, seq: number) => ({ connector_id: c, source_node_id: from, source_node_run_id: `nr_${from}`, output: { from }, seq, order: 0 });

/** A format-1 log: a join gets a token from `a`, the run is rewound to a checkpoint where it held one, then `b` delivers. */
function v1Log(): Record<string, unknown>[] {
  return [
    { kind: 'run.started', input: {}, at },
    { kind: 'token.enqueued', node_id: 'j', connector_id: 'e1', token: tok('e1', 'a', 2), at },
    {
      kind: 'run.rewound', node_run_id: 'nr_x', checkpoint_seq: 2, superseded: [], iterations: {}, at,
      // the oldest shape: no held / filled
      joins: { j: { queues: { e1: [tok('e1', 'a', 2)] }, round_open: true, fired_in_round: false } },
    },
    { kind: 'token.enqueued', node_id: 'j', connector_id: 'e2', token: tok('e2', 'b', 4), at },
  ];
}

test('an event without a version is format 1; events written today carry the current format', () => {
  assert.equal(eventFormatOf({ kind: 'run.started' }), 1);
  assert.equal(eventFormatOf({ kind: 'run.started', v: 2 }), 2);
  assert.equal(EVENT_FORMAT_VERSION, 2);
});

test('folded without the upcaster, an old rewind corrupts the join counters (the bug the upcaster prevents)', () => {
  const s = initialState('run_old');
  for (const e of v1Log()) applyEvent(s, e as unknown as EngineEvent);
  assert.ok(Number.isNaN(s.joins.j!.held));
});

test('an old log folds, through the upcaster, to the counters its queues imply', () => {
  const s = initialState('run_old');
  for (const e of v1Log()) foldEvent(s, e);
  assert.deepEqual({ held: s.joins.j!.held, filled: s.joins.j!.filled }, { held: 2, filled: 2 });
  assert.deepEqual(Object.fromEntries(Object.entries(s.joins.j!.queues).map(([c, q]) => [c, q.map((t) => t.source_node_id)])), { e1: ['a'], e2: ['b'] });
});

test('the runtime fold (foldLog, takeover and rewind) upcasts the stored log', async () => {
  const store = new InMemoryRunStore();
  const events = v1Log().map((payload, i) => ({ run_id: 'run_old', sequence: i + 1, event_id: `ev_${i + 1}`, event_type: 'flowchart:run:updated', payload: payload as unknown as EngineEvent, request_id: null, correlation_id: null }));
  store.events.set('run_old', events.map((e) => ({ ...e, created_at: at })));
  const s = await foldLog(store, 'run_old');
  assert.equal(s.seq, 4);
  assert.equal(s.joins.j!.held, 2);
});

test('a current event is not copied; a v1 event is stamped; a newer format is refused', () => {
  const now = { kind: 'run.warning', warning: { code: 'x', message: 'y' }, at, v: EVENT_FORMAT_VERSION };
  assert.equal(upcastRunEvent(now), now);
  assert.deepEqual(upcastRunEvent({ kind: 'run.warning', warning: { code: 'x', message: 'y' }, at }), now);
  assert.throws(() => upcastRunEvent({ ...now, v: EVENT_FORMAT_VERSION + 1 }), (e: unknown) => e instanceof LlmctlError && e.code === 'internal' && e.details.format === EVENT_FORMAT_VERSION + 1);
});
