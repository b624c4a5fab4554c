import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FencedError, type Commit } from '../ports.ts';
import { ME, TTL, commitOf, newRunId, projection, withRun, type OpenFixture } from './contract-helpers.ts';

/** The `RunLog` port: gap-free logs, fencing by sequence, atomic continue-as-new, refused values, snapshots. */
export function runRunLogContract(adapter: string, open: OpenFixture): void {
  test(`${adapter} run log: a created run is queued, unleased, with an empty log`, withRun(open, async ({ store, runId }) => {
    const r = await store.getRun(runId);
    assert.ok(r);
    assert.deepEqual([r.status, r.last_sequence, r.lease_owner, r.continuation], ['queued', 0, null, 0]);
    assert.deepEqual(await store.loadEvents(runId, 0), []);
    assert.equal(await store.getRun(newRunId()), null);
  }));

  test(`${adapter} run log: commits append a gap-free log and fence stale sequences`, withRun(open, async ({ store, runId }) => {
    const epoch = await store.acquireLease(runId, ME, TTL, () => false);
    assert.ok(epoch !== null);
    await store.commit(commitOf(runId, 0, epoch, ['run.status', 'node.queued']));
    await store.commit(commitOf(runId, 2, epoch, ['node.started']));
    await assert.rejects(store.commit(commitOf(runId, 2, epoch, ['node.started'])), FencedError, 'a stale expected sequence');
    await assert.rejects(store.commit(commitOf(runId, 5, epoch, ['node.started'])), FencedError, 'a sequence from the future');
    const log = await store.loadEvents(runId, 0);
    assert.deepEqual(log.map((e) => e.sequence), [1, 2, 3]);
    assert.deepEqual(log.map((e) => (e.payload as unknown as { note: string }).note), ['event 1', 'event 2', 'event 3']);
    assert.deepEqual((await store.loadEvents(runId, 1, 1)).map((e) => e.sequence), [2]);
    assert.equal((await store.getRun(runId))!.last_sequence, 3);
  }));

  test(`${adapter} run log: a continue-as-new commit creates the next run atomically; a fenced one creates nothing`, withRun(open, async ({ store, runId, flowchartId }) => {
    const epoch = await store.acquireLease(runId, ME, TTL, () => false);
    const next = newRunId();
    const lost = newRunId();
    const cont = (id: string, expected: number): Commit => commitOf(runId, expected, epoch, ['run.status'], 'succeeded', {
      new_runs: [{ id, flowchart_id: flowchartId, flowchart_version: 1, input: { again: true }, continued_from: runId, continuation: 1 }],
      run: { ...projection('succeeded', { done: true }), continued_to: id },
    });
    await assert.rejects(store.commit(cont(lost, 5)), FencedError);
    assert.equal(await store.getRun(lost), null, 'a fenced commit creates no run');
    await store.commit(cont(next, 0));
    const created = await store.getRun(next);
    assert.ok(created);
    assert.deepEqual([created.status, created.continued_from, created.continuation], ['queued', runId, 1]);
    assert.equal((await store.getRun(runId))!.continued_to, next);
  }));

  test(`${adapter} run log: a value the database cannot hold (NUL) is refused whole, 22P05, and nothing is written`, withRun(open, async ({ store, runId }) => {
    const epoch = await store.acquireLease(runId, ME, TTL, () => false);
    const bad = commitOf(runId, 0, epoch, ['node.succeeded']);
    (bad.events[0]!.payload as unknown as { note: string }).note = 'a\u0000b';
    await assert.rejects(store.commit(bad), (err: unknown) => (err as { code?: string }).code === '22P05');
    assert.equal((await store.getRun(runId))!.last_sequence, 0);
    assert.deepEqual(await store.loadEvents(runId, 0), []);
  }));

  test(`${adapter} run log: a snapshot committed with the events is loaded back at or before a sequence`, withRun(open, async ({ store, runId }) => {
    if (!store.loadSnapshot) return;
    const epoch = await store.acquireLease(runId, ME, TTL, () => false);
    const state = { run_id: runId, seq: 2, marker: 'snapshot-2' };
    await store.commit({ ...commitOf(runId, 0, epoch, ['run.status', 'node.queued']), snapshot: { sequence: 2, format: 1, state_json: JSON.stringify(state) } });
    await store.commit(commitOf(runId, 2, epoch, ['node.started']));
    const snap = await store.loadSnapshot(runId, 3);
    assert.deepEqual(snap && { sequence: snap.sequence, format: snap.format, marker: (snap.state as unknown as { marker: string }).marker }, { sequence: 2, format: 1, marker: 'snapshot-2' });
    assert.equal(await store.loadSnapshot(runId, 1), null);
  }));
}
