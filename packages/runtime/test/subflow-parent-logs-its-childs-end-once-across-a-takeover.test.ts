/**
 * Issue 18: "a child run's completion is an event in the parent's log". The parent's flowchart node run logs
 * `subflow.child_started` and `subflow.child_finished` (child run id, status, error) before its own outcome, exactly
 * once each, even when the parent is taken over while the child runs, or crashes between logging the child's end and
 * its own outcome (the node run is executed again and observes the same, finished child). Everything is gated on
 * state (bus events, commits), never on time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeRunViews } from '@llmctl/engine';
import type { Commit, StoredEvent } from '../src/index.ts';
import { InMemoryRunStore, foldLog } from '../src/index.ts';
import { flow } from './support/harness.ts';
import { gatedTask, orchestrator, putParentAndChild, splitParentAndChild, terminal } from './support/subflow-processes.ts';

async function kindsOf(store: InMemoryRunStore, runId: string): Promise<StoredEvent[]> {
  return store.loadEvents(runId, 0, 100_000);
}

function count(events: StoredEvent[], kind: string): number {
  return events.filter((e) => e.payload.kind === kind).length;
}

function indexOf(events: StoredEvent[], pred: (e: StoredEvent) => boolean): number {
  return events.findIndex(pred);
}

test('a parent taken over while its child runs logs the child\'s start and end once each, before the node\'s outcome', async () => {
  const alive = setInterval(() => undefined, 1000);
  const store = new InMemoryRunStore();
  // `a` logged the child's start, then crashed while the child waits in its task.
  const { parent, child } = await splitParentAndChild(store, 'subflow.child_started');
  assert.equal(count(await kindsOf(store, parent), 'subflow.child_started'), 1);
  const childTask = gatedTask();
  const b = orchestrator(store, childTask.handler, 'b'); // owns the child
  const c = orchestrator(store, async () => ({ output: null }), 'c'); // takes the parent over
  const offRelay = b.bus.onEvent((e) => c.signals.runChanged(e.run_id));
  try {
    await b.adopt(child);
    await childTask.called(1);
    await c.adopt(parent);
    const parentDone = terminal(c, store, parent);
    childTask.release();
    assert.equal(await parentDone, 'succeeded');

    const events = await kindsOf(store, parent);
    assert.equal(count(events, 'subflow.child_started'), 1, 'the takeover re-executed the node run but did not log the start again');
    assert.equal(count(events, 'subflow.child_finished'), 1);
    assert.equal(events.filter((e) => e.payload.kind === 'node.started' && e.payload.node_id === 'f').length, 2, 'the takeover executed the node run again');
    const finished = events.find((e) => e.payload.kind === 'subflow.child_finished')!;
    assert.deepEqual({ ...finished.payload, at: undefined, v: undefined }, {
      kind: 'subflow.child_finished', node_id: 'f', node_run_id: finished.payload.kind === 'subflow.child_finished' ? finished.payload.node_run_id : '',
      child_run_id: child, flowchart_id: 'fc_child', status: 'succeeded', error: null, at: undefined, v: undefined,
    });
    assert.equal(finished.event_type, 'flowchart:node:updated');
    const fSucceeded = indexOf(events, (e) => e.payload.kind === 'node.succeeded' && e.payload.node_id === 'f');
    assert.ok(indexOf(events, (e) => e === finished) < fSucceeded, 'the child\'s end is logged before the node\'s outcome');
    // the shared projection shows the child on the node run
    const f = nodeRunViews(await foldLog(store, parent)).find((n) => n.node_id === 'f')!;
    assert.deepEqual({ id: f.child_run?.id, status: f.child_run?.status, flowchart_id: f.child_run?.flowchart_id }, { id: child, status: 'succeeded', flowchart_id: 'fc_child' });
  } finally {
    offRelay();
    await b.stop();
    await c.stop();
    clearInterval(alive);
  }
});

/** A store that runs `after` once a commit holding an event of `kind` for run `runId` is stored. */
class HookedStore extends InMemoryRunStore {
  hook: { kind: string; after: () => void } | null = null;
  override async commit(c: Commit): Promise<void> {
    await super.commit(c);
    const h = this.hook;
    if (h && c.events.some((e) => e.payload.kind === h.kind)) {
      this.hook = null;
      h.after();
    }
  }
}

test('a parent that crashes between logging its child\'s end and its own outcome logs the end once after the takeover', async () => {
  const alive = setInterval(() => undefined, 1000);
  const store = new HookedStore();
  putParentAndChild(store);
  const childTask = gatedTask();
  const a = orchestrator(store, childTask.handler, 'a');
  let stopped: Promise<void> = Promise.resolve();
  // `a` stops (its actors break, nothing more is committed) right as the child's end is stored in the parent's log.
  store.hook = { kind: 'subflow.child_finished', after: () => (stopped = a.stop()) };
  const c = orchestrator(store, async () => ({ output: null }), 'c');
  try {
    const parent = await a.startRun('fc_parent', { input: {} }, { request_id: null, correlation_id: null });
    await childTask.called(1);
    const crashed = new Promise<void>((resolve) => {
      const off = a.bus.onEvent((e) => {
        if (e.run_id === parent && e.payload.kind === 'subflow.child_finished') {
          off();
          resolve();
        }
      });
    });
    childTask.release();
    await crashed;
    await stopped;
    let events = await kindsOf(store, parent);
    assert.equal(count(events, 'subflow.child_finished'), 1);
    assert.equal(events.some((e) => e.payload.kind === 'node.succeeded' && e.payload.node_id === 'f'), false, 'the node\'s outcome was not committed');
    assert.equal(store.runs.get(parent)!.status, 'running');

    const parentDone = terminal(c, store, parent);
    await c.adopt(parent);
    assert.equal(await parentDone, 'succeeded');
    events = await kindsOf(store, parent);
    assert.equal(events.filter((e) => e.payload.kind === 'node.started' && e.payload.node_id === 'f').length, 2, 'the node run was executed again');
    assert.equal(count(events, 'subflow.child_started'), 1);
    assert.equal(count(events, 'subflow.child_finished'), 1, 'the replay observed the finished child without logging it again');
    assert.deepEqual(store.runs.get(parent)!.projection!.output, { answer: 42 });
  } finally {
    await a.stop();
    await c.stop();
    clearInterval(alive);
  }
});

test('a failed child is logged with its status and error, and the node fails subflow_failed after it', async () => {
  const alive = setInterval(() => undefined, 1000);
  const store = new InMemoryRunStore();
  putParentAndChild(store);
  const a = orchestrator(store, async () => {
    throw Object.assign(new Error('never valid'), { code: 'output_invalid', retryable: false, details: {} });
  }, 'a');
  try {
    const parent = await a.startRun('fc_parent', { input: {} }, { request_id: null, correlation_id: null });
    assert.equal(await terminal(a, store, parent), 'failed');
    const events = await kindsOf(store, parent);
    const finished = events.find((e) => e.payload.kind === 'subflow.child_finished');
    assert.ok(finished && finished.payload.kind === 'subflow.child_finished');
    assert.equal(finished.payload.status, 'failed');
    assert.equal(finished.payload.error?.code, 'output_invalid');
    const failed = indexOf(events, (e) => e.payload.kind === 'node.failed' && e.payload.node_id === 'f');
    assert.ok(failed > events.indexOf(finished));
    const f = events[failed]!.payload;
    assert.equal(f.kind === 'node.failed' ? f.error.code : null, 'subflow_failed');
  } finally {
    await a.stop();
    clearInterval(alive);
  }
});

test('a flowchart node that does not wait logs its child\'s start only', async () => {
  const alive = setInterval(() => undefined, 1000);
  const store = new InMemoryRunStore();
  putParentAndChild(store);
  store.putFlowchart('fc_parent', flow([{ id: 's', type: 'start' }, { id: 'f', type: 'flowchart', config: { flowchart_id: 'fc_child', wait: false } }, { id: 'z', type: 'end' }], ['s>f', 'f>z']));
  const childTask = gatedTask();
  const a = orchestrator(store, childTask.handler, 'a');
  try {
    const parent = await a.startRun('fc_parent', { input: {} }, { request_id: null, correlation_id: null });
    assert.equal(await terminal(a, store, parent), 'succeeded');
    const events = await kindsOf(store, parent);
    assert.equal(count(events, 'subflow.child_started'), 1);
    assert.equal(count(events, 'subflow.child_finished'), 0);
    childTask.release();
  } finally {
    await a.stop();
    clearInterval(alive);
  }
});
