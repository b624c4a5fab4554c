/**
 * Snapshot format 3 (issue 17/18): large node outputs are kept by reference to the event that logged them and token
 * outputs by reference to their source node run, so a snapshot does not copy every output again; loading puts them
 * back and the state equals the log folded to that point. A snapshot written in format 1 (the whole state) still loads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvent, initialState, type EngineState } from '@llmctl/engine';
import { SNAPSHOT_FORMAT, decodeSnapshot, encodeSnapshot, foldLog, type InMemoryRunStore } from '../src/index.ts';
import { flow, harness } from './support/harness.ts';

async function foldAll(store: InMemoryRunStore, runId: string, upTo = Number.POSITIVE_INFINITY): Promise<EngineState> {
  const s = initialState(runId);
  for (const e of await store.loadEvents(runId, 0, 1_000_000)) if (e.sequence <= upTo) applyEvent(s, e.payload);
  return s;
}

const BIG = 'x'.repeat(2000);

/** A loop whose `h` node answers a 2 KB text per pass; `b` passes it on (tokens carry it). */
const loop = flow(
  [{ id: 's', type: 'start' }, { id: 'h' }, { id: 'b' }, { id: 'z', type: 'end' }],
  ['s>h', 'h>b', { source: 'b', target: 'h', condition: 'node.iteration < 40' }, { source: 'b', target: 'z', condition: 'node.iteration >= 40' }],
);
const behaviours = { h: (x: { nodeRun: { iteration: number } }) => ({ output: { text: `${BIG}:${x.nodeRun.iteration}` } }) };

test('a format-3 snapshot holds no copy of a large output and loads back to the state folded up to it', async () => {
  const h = await harness(behaviours as never, {}, { snapshotEvery: 50 });
  try {
    const id = await h.run(loop);
    await h.wait(id);
    assert.equal(h.status(id), 'succeeded');
    const snaps = h.store.snapshots.get(id) ?? [];
    assert.ok(snaps.length >= 2, `snapshots taken (${snaps.length})`);
    for (const snap of snaps) {
      assert.equal(snap.format, SNAPSHOT_FORMAT);
      assert.equal(snap.json.includes(BIG), false, `snapshot at ${snap.sequence} copies no 2 KB output`);
      const packed = JSON.parse(snap.json) as { node_runs: unknown[][] };
      const refs = packed.node_runs.flatMap((n) => n[4] as unknown[][]).filter((t) => t[5] === 'o');
      assert.ok(refs.length > 0, 'tokens carrying their source node run\'s output refer to it');
      const folded = await foldAll(h.store, id, snap.sequence);
      assert.ok(snap.json.length * 4 < JSON.stringify(folded).length, 'far smaller than the state it stands for');
      const loaded = (await h.store.loadSnapshot(id, snap.sequence))!;
      assert.deepEqual(decodeSnapshot(loaded.state, loaded.format, loaded.outputs), folded, `snapshot at ${snap.sequence}`);
    }
    assert.deepEqual(await foldLog(h.store, id), await foldAll(h.store, id));
  } finally {
    await h.stop();
  }
});

test('a snapshot of format 1 (the whole state, written by earlier releases) is loaded, and folding goes on from it', async () => {
  const h = await harness(behaviours as never, {}, { snapshotEvery: 0 });
  try {
    const id = await h.run(loop);
    await h.wait(id);
    const total = (await h.store.getRun(id))!.last_sequence;
    const at = Math.floor(total / 2);
    h.store.snapshots.set(id, [{ sequence: at, format: 1, json: JSON.stringify(await foldAll(h.store, id, at)) }]);
    const reads: number[] = [];
    const load = h.store.loadEvents.bind(h.store);
    h.store.loadEvents = async (runId, after, limit) => {
      reads.push(after);
      return load(runId, after, limit);
    };
    assert.deepEqual(await foldLog(h.store, id), await foldAll(h.store, id));
    assert.equal(reads[0], at, 'the fold started from the format-1 snapshot, not from the first event');
  } finally {
    await h.stop();
  }
});

test('a packed node run unpacks to the same object: undefined fields stay undefined, absent ones absent, keys and routing rebuilt', () => {
  const base = {
    id: 'nr_1', node_id: 'a', node_type: 'task', iteration: 1, tokens: [], retry_of: null, rewound_from: null, idempotency_key: 'k',
    status: 'succeeded', queued_seq: 2, created_order: 1, started_seq: 3, done_seq: 4, context: {}, output: { ok: true }, routing: null,
    error: null, outcome: 'success', fallback_used: false, degraded_reason: undefined, warnings: [], attempts: [], usage: undefined,
    started_at: 'a', finished_at: 'b',
  };
  const routing = { matched_connector_ids: ['e2'], route_key: null, evaluated: [] };
  const state = {
    ...initialState('run_1'), node_runs: {
      nr_1: base, nr_2: { ...base, id: 'nr_2', child_run: { id: 'run_2' } },
      nr_3: { ...base, id: 'nr_3', idempotency_key: 'run:run_1:node:a:iter:1', output: { ...routing, value: { x: 1 } }, routing: structuredClone(routing) },
      nr_4: { ...base, id: 'nr_4', idempotency_key: 'run:run_1:node:a:iter:1:rev:12', output: { value: 1, other: 2 }, routing },
      nr_5: { ...base, id: 'nr_5', idempotency_key: 'run:run_1:node:a:iter:1:rev:x' },
    },
  } as unknown as EngineState;
  const packed = JSON.parse(encodeSnapshot(state)) as { node_runs: unknown[][] };
  assert.deepEqual(packed.node_runs.map((n) => [n[7], n[15]]), [['k', null], ['k', null], [0, 0], [12, routing], ['run:run_1:node:a:iter:1:rev:x', null]]);
  const decoded = decodeSnapshot(JSON.parse(encodeSnapshot(state)) as EngineState, SNAPSHOT_FORMAT, {});
  assert.deepStrictEqual(decoded, state);
});
