/**
 * The `RunStore` port contract (`@llmctl/runtime/testing`): one suite that every adapter — the in-memory one and the
 * PostgreSQL one — must pass, so the runtime's guarantees (gap-free logs, fencing by sequence and lease epoch, atomic
 * continue-as-new, takeover of dead owners' runs, snapshots) do not depend on which store it runs on.
 *
 *   runRunStoreContract('PostgreSQL', async () => ({ store: new PgRunStore(pool), flowchartId: await oneFlowchart() }));
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { EngineEvent } from '@llmctl/engine';
import { FencedError, type Commit, type RunProjection, type RunStore } from '../ports.ts';

/** What the suite needs of an adapter: the store, and a flowchart (version 1) runs may reference. */
export interface RunStoreFixture {
  store: RunStore;
  flowchartId: string;
  /** Releases what `open` acquired (called after each test). */
  close?: () => Promise<void>;
}

const ME = 'llmctl:contract-host:1:me';
const OTHER = 'llmctl:contract-host:2:other';
const TTL = 60_000;

function projection(status: RunProjection['status'], output: unknown = null): RunProjection {
  return { status, input: {}, output, error: null, warnings: [], leftover_tokens: [], started_at: null, finished_at: null, running_ms: 0, running_since: null };
}

function commitOf(runId: string, expected: number, epoch: number | null, kinds: string[], status: RunProjection['status'] = 'running', extra: Partial<Commit> = {}): Commit {
  return {
    run_id: runId, expected_sequence: expected, lease: epoch === null ? null : { owner: ME, epoch },
    events: kinds.map((kind, i) => ({
      sequence: expected + i + 1, event_id: `ev_${randomUUID()}`, event_type: 'flowchart:run:updated',
      payload: { kind, note: `event ${expected + i + 1}` } as unknown as EngineEvent, request_id: null, correlation_id: null,
    })),
    node_runs: [], run: projection(status), ...extra,
  };
}

const newRunId = (): string => `run_${randomUUID().replace(/-/g, '').slice(0, 26)}`;

/** Registers the contract tests for one adapter. `open` is called once per test. */
export function runRunStoreContract(adapter: string, open: () => Promise<RunStoreFixture>): void {
  /** A fixture with one created run, closed after the test body. */
  const withRun = (body: (f: RunStoreFixture & { runId: string }) => Promise<void>) => async (): Promise<void> => {
    const f = await open();
    try {
      const runId = newRunId();
      await f.store.createRun({ id: runId, flowchart_id: f.flowchartId, flowchart_version: 1, input: { n: 1 } });
      await body({ ...f, runId });
    } finally {
      await f.close?.();
    }
  };

  test(`${adapter} run store: a created run is queued, unleased, with an empty log`, withRun(async ({ store, runId }) => {
    const r = await store.getRun(runId);
    assert.ok(r);
    assert.deepEqual([r.status, r.last_sequence, r.lease_owner, r.continuation], ['queued', 0, null, 0]);
    assert.deepEqual(await store.loadEvents(runId, 0), []);
    assert.equal(await store.getRun(newRunId()), null);
  }));

  test(`${adapter} run store: commits append a gap-free log and fence stale sequences and stale lease epochs`, withRun(async ({ store, runId }) => {
    const epoch = await store.acquireLease(runId, ME, TTL, () => false);
    assert.ok(epoch !== null);
    await store.commit(commitOf(runId, 0, epoch, ['run.status', 'node.queued']));
    await store.commit(commitOf(runId, 2, epoch, ['node.started']));
    await assert.rejects(store.commit(commitOf(runId, 2, epoch, ['node.started'])), FencedError, 'a stale expected sequence');
    const log = await store.loadEvents(runId, 0);
    assert.deepEqual(log.map((e) => e.sequence), [1, 2, 3]);
    assert.deepEqual(log.map((e) => (e.payload as unknown as { note: string }).note), ['event 1', 'event 2', 'event 3']);
    assert.deepEqual((await store.loadEvents(runId, 1, 1)).map((e) => e.sequence), [2]);
    assert.equal((await store.getRun(runId))!.last_sequence, 3);

    // Another owner takes the lease (ours is released): our epoch no longer writes.
    await store.releaseLease(runId, ME);
    const theirs = await store.acquireLease(runId, OTHER, TTL, () => false);
    assert.ok(theirs !== null && theirs > epoch);
    await assert.rejects(store.commit(commitOf(runId, 3, epoch, ['node.succeeded'])), FencedError, 'a stale lease epoch');
    assert.equal((await store.getRun(runId))!.last_sequence, 3);
  }));

  test(`${adapter} run store: leases are exclusive while live, taken over when expired or their owner is dead`, withRun(async ({ store, runId }) => {
    const e1 = await store.acquireLease(runId, OTHER, TTL, () => false);
    assert.ok(e1 !== null);
    assert.equal(await store.acquireLease(runId, ME, TTL, () => false), null, 'a live lease of another owner');
    const e2 = await store.acquireLease(runId, ME, TTL, (o) => o === OTHER);
    assert.ok(e2 !== null && e2 > e1, 'the lease of a dead owner is taken with a new epoch');
    assert.deepEqual(await store.renewLeases(ME, [runId], TTL), [runId]);
    assert.deepEqual(await store.renewLeases(OTHER, [runId], TTL), []);
    await store.releaseLease(runId, OTHER); // not the owner: no effect
    assert.equal((await store.getRun(runId))!.lease_owner, ME);
    await store.releaseLease(runId, ME);
    assert.equal((await store.getRun(runId))!.lease_owner, null);
  }));

  test(`${adapter} run store: the recovery scan finds active runs with expired or dead owners, never its own or finished ones`, withRun(async ({ store, runId: expired, flowchartId }) => {
    const mk = async (): Promise<string> => {
      const id = newRunId();
      await store.createRun({ id, flowchart_id: flowchartId, flowchart_version: 1, input: {} });
      return id;
    };
    const mine = await mk();
    const finished = await mk();
    // A lease that expired a second ago (negative TTL): deterministic, no waiting.
    const ee = await store.acquireLease(expired, OTHER, -1000, () => false);
    await store.commit({ ...commitOf(expired, 0, null, ['run.status'], 'running'), lease: { owner: OTHER, epoch: ee! } });
    const em = await store.acquireLease(mine, ME, TTL, () => false);
    await store.commit({ ...commitOf(mine, 0, null, ['run.status'], 'running'), lease: { owner: ME, epoch: em! } });
    const ef = await store.acquireLease(finished, OTHER, -1000, () => false);
    await store.commit({ ...commitOf(finished, 0, null, ['run.status'], 'succeeded'), lease: { owner: OTHER, epoch: ef! } });
    const found = await store.findRunsToRecover(ME, () => false);
    assert.ok(found.includes(expired), 'the run whose lease expired');
    assert.ok(!found.includes(mine), 'never its own runs');
    assert.ok(!found.includes(finished), 'never finished runs');
  }));

  test(`${adapter} run store: a continue-as-new commit creates the next run atomically; a fenced one creates nothing`, withRun(async ({ store, runId, flowchartId }) => {
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
    assert.deepEqual(await store.getRunResult(runId), { status: 'succeeded', output: { done: true }, error: null });
    assert.equal(await store.chainTail?.(runId) ?? next, next);
  }));

  test(`${adapter} run store: a value the database cannot hold (NUL) is refused whole, 22P05, and nothing is written`, withRun(async ({ store, runId }) => {
    const epoch = await store.acquireLease(runId, ME, TTL, () => false);
    const bad = commitOf(runId, 0, epoch, ['node.succeeded']);
    (bad.events[0]!.payload as unknown as { note: string }).note = 'a\u0000b';
    await assert.rejects(store.commit(bad), (err: unknown) => (err as { code?: string }).code === '22P05');
    assert.equal((await store.getRun(runId))!.last_sequence, 0);
    assert.deepEqual(await store.loadEvents(runId, 0), []);
  }));

  test(`${adapter} run store: a snapshot committed with the events is loaded back at or before a sequence`, withRun(async ({ store, runId }) => {
    if (!store.loadSnapshot) return;
    const epoch = await store.acquireLease(runId, ME, TTL, () => false);
    const state = { run_id: runId, seq: 2, marker: 'snapshot-2' };
    await store.commit({ ...commitOf(runId, 0, epoch, ['run.status', 'node.queued']), snapshot: { sequence: 2, format: 1, state_json: JSON.stringify(state) } });
    await store.commit(commitOf(runId, 2, epoch, ['node.started']));
    const snap = await store.loadSnapshot(runId, 3);
    assert.deepEqual(snap && { sequence: snap.sequence, format: snap.format, marker: (snap.state as unknown as { marker: string }).marker }, { sequence: 2, format: 1, marker: 'snapshot-2' });
    assert.equal(await store.loadSnapshot(runId, 1), null);
  }));

  test(`${adapter} run store: active child runs of a parent are listed for the cancel cascade`, withRun(async ({ store, runId, flowchartId }) => {
    const child = newRunId();
    await store.createRun({ id: child, flowchart_id: flowchartId, flowchart_version: 1, input: {}, parent_run_id: runId, parent_node_run_id: 'nr_x' });
    assert.deepEqual(await store.listActiveChildRuns(runId), [child]);
    const epoch = await store.acquireLease(child, ME, TTL, () => false);
    await store.commit(commitOf(child, 0, epoch, ['run.status'], 'canceled'));
    assert.deepEqual(await store.listActiveChildRuns(runId), []);
  }));
}
