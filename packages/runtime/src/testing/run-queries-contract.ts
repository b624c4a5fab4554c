import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ME, TTL, commitOf, newRunId, projection, withRun, type OpenFixture } from './contract-helpers.ts';

/** The `RunQueries` port: a run's outcome, its continue-as-new chain, and its active children. */
export function runRunQueriesContract(adapter: string, open: OpenFixture): void {
  test(`${adapter} queries: a run's result follows its commits; an unknown run has none`, withRun(open, async ({ store, runId }) => {
    assert.equal(await store.getRunResult(newRunId()), null);
    assert.equal((await store.getRunResult(runId))?.status, 'queued');
    const epoch = await store.acquireLease(runId, ME, TTL, () => false);
    await store.commit({ ...commitOf(runId, 0, epoch, ['run.status'], 'succeeded'), run: projection('succeeded', { answer: 42 }) });
    assert.deepEqual(await store.getRunResult(runId), { status: 'succeeded', output: { answer: 42 }, error: null });
  }));

  test(`${adapter} queries: the chain tail follows continue-as-new`, withRun(open, async ({ store, runId, flowchartId }) => {
    if (!store.chainTail) return;
    assert.equal(await store.chainTail(runId), runId);
    const epoch = await store.acquireLease(runId, ME, TTL, () => false);
    const next = newRunId();
    await store.commit(commitOf(runId, 0, epoch, ['run.status'], 'succeeded', {
      new_runs: [{ id: next, flowchart_id: flowchartId, flowchart_version: 1, input: {}, continued_from: runId, continuation: 1 }],
      run: { ...projection('succeeded'), continued_to: next },
    }));
    assert.equal(await store.chainTail(runId), next);
  }));

  test(`${adapter} queries: active child runs of a parent are listed for the cancel cascade`, withRun(open, async ({ store, runId, flowchartId }) => {
    const child = newRunId();
    await store.createRun({ id: child, flowchart_id: flowchartId, flowchart_version: 1, input: {}, parent_run_id: runId, parent_node_run_id: 'nr_x' });
    assert.deepEqual(await store.listActiveChildRuns(runId), [child]);
    const epoch = await store.acquireLease(child, ME, TTL, () => false);
    await store.commit(commitOf(child, 0, epoch, ['run.status'], 'canceled'));
    assert.deepEqual(await store.listActiveChildRuns(runId), []);
  }));
}
