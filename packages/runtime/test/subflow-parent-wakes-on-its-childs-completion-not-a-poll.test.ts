import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryRunStore } from '../src/index.ts';
import { gatedTask, orchestrator, splitParentAndChild, terminal } from './support/subflow-processes.ts';

// Issue 18 ("event-driven waits"): a sub-flowchart parent no longer polls its child. These tests put the parent and
// the child in different orchestrators ("processes") over one store, so the child's commits never reach the
// parent's bus: only the cross-process signal (what the server feeds from LISTEN/NOTIFY) or a takeover can wake it.
// The handler has no poll interval any more; the old code polled every 500 ms, which would also have finished these
// runs, so the second test counts the child reads: none happens until a signal arrives.

/** A store that counts reads of one run's result (what a poll would do). */
class CountingStore extends InMemoryRunStore {
  reads = new Map<string, number>();
  private waiters: (() => void)[] = [];
  override async getRunResult(runId: string) {
    this.reads.set(runId, (this.reads.get(runId) ?? 0) + 1);
    const r = await super.getRunResult(runId);
    for (const w of this.waiters.splice(0)) w();
    return r;
  }
  /** Resolves once run `runId` was read `n` times in all. */
  async readsReach(runId: string, n: number): Promise<void> {
    while ((this.reads.get(runId) ?? 0) < n) await new Promise<void>((r) => this.waiters.push(r));
  }
}

test('a parent owned by another process wakes on the signal of its child\'s terminal commit, with no poll in between', async () => {
  const alive = setInterval(() => undefined, 1000);
  const store = new CountingStore();
  const { parent, child } = await splitParentAndChild(store);
  const childTask = gatedTask();
  const b = orchestrator(store, childTask.handler, 'b'); // owns the child
  const c = orchestrator(store, async () => ({ output: null }), 'c'); // owns the parent
  // The host's relay: commits made by b reach c only as cross-process signals (the server: LISTEN/NOTIFY).
  const relayed: string[] = [];
  const offRelay = b.bus.onEvent((e) => {
    relayed.push(e.run_id);
    c.signals.runChanged(e.run_id);
  });
  try {
    await b.adopt(child);
    await childTask.called(1);
    const readsBefore = store.reads.get(child) ?? 0;
    await c.adopt(parent);
    // The parent's node re-executes on takeover: it looks the child up, then its wait reads it once (still running).
    await store.readsReach(child, readsBefore + 2);
    const waitingReads = store.reads.get(child)!;
    const relayedBeforeRelease = relayed.length;
    const parentDone = terminal(c, store, parent);
    childTask.release();
    assert.equal(await parentDone, 'succeeded');
    assert.deepEqual(store.runs.get(parent)!.projection!.output, { answer: 42 });
    assert.ok(relayed.length > relayedBeforeRelease, 'the child\'s commits were relayed as signals');
    // Every read of the child after the wait began was caused by a relayed signal of the child: no timer read it.
    const signalsForChild = relayed.slice(relayedBeforeRelease).filter((id) => id === child).length;
    assert.ok(store.reads.get(child)! - waitingReads <= signalsForChild, `reads ${store.reads.get(child)! - waitingReads} > signals ${signalsForChild}`);
  } finally {
    offRelay();
    await b.stop();
    await c.stop();
    clearInterval(alive);
  }
});

test('a parent taken over after its child finished completes on the takeover\'s check, with no signal at all', async () => {
  const alive = setInterval(() => undefined, 1000);
  const store = new InMemoryRunStore();
  const { parent, child } = await splitParentAndChild(store);
  const childTask = gatedTask();
  const b = orchestrator(store, childTask.handler, 'b');
  const c = orchestrator(store, async () => ({ output: null }), 'c');
  try {
    // The child finishes while nobody owns the parent (no relay between b and c).
    const childDone = terminal(b, store, child);
    await b.adopt(child);
    childTask.release();
    assert.equal(await childDone, 'succeeded');
    assert.equal(store.runs.get(parent)!.status, 'running');
    const parentDone = terminal(c, store, parent);
    await c.adopt(parent);
    assert.equal(await parentDone, 'succeeded');
    assert.deepEqual(store.runs.get(parent)!.projection!.output, { answer: 42 });
  } finally {
    await b.stop();
    await c.stop();
    clearInterval(alive);
  }
});
