import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvent, initialState, type EngineState } from '@llmctl/engine';
import { DEFAULT_SNAPSHOT_EVERY, foldLog, snapshotDue, SNAPSHOT_FORMAT, decodeSnapshot, type InMemoryRunStore } from '../src/index.ts';
import { flow, harness } from './support/harness.ts';

/** The reference: every event folded from an empty state (no snapshot). */
async function foldAll(store: InMemoryRunStore, runId: string, upTo = Number.POSITIVE_INFINITY): Promise<EngineState> {
  const s = initialState(runId);
  for (const e of await store.loadEvents(runId, 0, 1_000_000)) if (e.sequence <= upTo) applyEvent(s, e.payload);
  return s;
}

const loop = flow(
  [{ id: 's', type: 'start' }, { id: 'h' }, { id: 'b' }, { id: 'z', type: 'end' }],
  ['s>h', 'h>b', { source: 'b', target: 'h', condition: 'node.iteration < 60' }, { source: 'b', target: 'z', condition: 'node.iteration >= 60' }],
);

test('a long run keeps a few snapshots, each equal to the log folded up to its sequence, and folding from them equals folding the whole log', async () => {
  const h = await harness({}, {}, { snapshotEvery: 50 });
  try {
    const id = await h.run(loop);
    await h.wait(id);
    assert.equal(h.status(id), 'succeeded');
    const total = (await h.store.getRun(id))!.last_sequence;
    assert.ok(total > 200, `expected a long log, got ${total} events`);
    const snaps = h.store.snapshots.get(id) ?? [];
    assert.equal(snaps.length, 4, 'the newest four snapshots are kept');
    for (const snap of snaps) {
      assert.equal(snap.format, SNAPSHOT_FORMAT);
      const loaded = (await h.store.loadSnapshot(id, snap.sequence))!;
      assert.deepEqual(decodeSnapshot(loaded.state, loaded.format, loaded.outputs), await foldAll(h.store, id, snap.sequence), `snapshot at ${snap.sequence}`);
    }
    assert.deepEqual(await foldLog(h.store, id), await foldAll(h.store, id));
    for (const upTo of [1, 7, snaps[0]!.sequence - 1, snaps[0]!.sequence, snaps[1]!.sequence + 3, total]) {
      assert.deepEqual(await foldLog(h.store, id, upTo), await foldAll(h.store, id, upTo), `fold up to ${upTo}`);
    }
  } finally {
    await h.stop();
  }
});

test('a snapshot of another format is ignored: the whole log is folded instead', async () => {
  const h = await harness({}, {}, { snapshotEvery: 50 });
  try {
    const id = await h.run(loop);
    await h.wait(id);
    const snaps = h.store.snapshots.get(id)!;
    const last = snaps[snaps.length - 1]!;
    // A stale snapshot (an older engine's shape) that would fold to a wrong state if it were used.
    snaps.push({ sequence: last.sequence, format: SNAPSHOT_FORMAT + 1, json: JSON.stringify({ ...initialState(id), seq: last.sequence }) });
    assert.deepEqual(await foldLog(h.store, id), await foldAll(h.store, id));
  } finally {
    await h.stop();
  }
});

test('rewinding to an early and to a late node run after snapshots were taken restores that checkpoint', async () => {
  const h = await harness({}, {}, { snapshotEvery: 50 });
  try {
    const id = await h.run(loop);
    await h.wait(id);
    // One checkpoint before the oldest kept snapshot (folds from the start), one after it (folds from a snapshot).
    for (const iteration of [2, 58]) {
      const live = [...h.store.nodeRuns.get(id)!.values()].filter((r) => r.status !== 'superseded');
      const target = live.find((r) => r.node_id === 'b' && r.iteration === iteration)!;
      if (iteration === 58) assert.ok(target.started_seq! > h.store.snapshots.get(id)![0]!.sequence, 'the late checkpoint lies after a kept snapshot');
      const res = await h.orch.control(id, { action: 'rewind', node_run_id: target.id }, { request_id: null, correlation_id: null, actor: 'test' });
      assert.ok((res.superseded_node_run_ids ?? []).includes(target.id));
      await h.wait(id);
      assert.equal(h.status(id), 'succeeded');
      const after = [...h.store.nodeRuns.get(id)!.values()].filter((r) => r.status !== 'superseded' && r.node_id === 'b').map((r) => r.iteration);
      assert.deepEqual(after, Array.from({ length: 60 }, (_, i) => i + 1));
      assert.deepEqual(await foldLog(h.store, id), await foldAll(h.store, id));
    }
  } finally {
    await h.stop();
  }
});

test('snapshots are due after `every` events at least, and no more often than 1 event per 4 node runs of the state', () => {
  assert.equal(snapshotDue(0, 49, 50, 3), false);
  assert.equal(snapshotDue(0, 50, 50, 3), true);
  assert.equal(snapshotDue(100, 199, 50, 400), false, 'a state of 400 node runs waits for 100 events');
  assert.equal(snapshotDue(100, 200, 50, 400), true);
  assert.equal(snapshotDue(0, 499, DEFAULT_SNAPSHOT_EVERY, 3), false, 'short runs are never snapshotted by default');
  assert.equal(snapshotDue(0, 10_000, 0, 1), false, 'every = 0 turns snapshots off');
});
