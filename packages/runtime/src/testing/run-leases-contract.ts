import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FencedError } from '../ports.ts';
import { ME, OTHER, TTL, commitOf, newRunId, withRun, type OpenFixture } from './contract-helpers.ts';

/** The `RunLeases` port: exclusive, renewable leases with epochs that fence the log, and the recovery scan. */
export function runRunLeasesContract(adapter: string, open: OpenFixture): void {
  test(`${adapter} leases: exclusive while live, taken over when expired or their owner is dead`, withRun(open, async ({ store, runId }) => {
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

  test(`${adapter} leases: a lease taken over fences the old owner's commits (stale epoch), the log is unchanged`, withRun(open, async ({ store, runId }) => {
    const epoch = await store.acquireLease(runId, ME, TTL, () => false);
    assert.ok(epoch !== null);
    await store.commit(commitOf(runId, 0, epoch, ['run.status']));
    // An expired lease (negative TTL) is taken by another owner without waiting: ours no longer writes.
    await store.renewLeases(ME, [runId], -1000);
    const theirs = await store.acquireLease(runId, OTHER, TTL, () => false);
    assert.ok(theirs !== null && theirs > epoch);
    await assert.rejects(store.commit(commitOf(runId, 1, epoch, ['node.succeeded'])), FencedError, 'a stale lease epoch');
    assert.equal((await store.getRun(runId))!.last_sequence, 1);
    assert.deepEqual(await store.renewLeases(ME, [runId], TTL), [], 'a lost lease is not renewed');
    await store.commit({ ...commitOf(runId, 1, null, ['node.succeeded']), lease: { owner: OTHER, epoch: theirs } });
    assert.equal((await store.getRun(runId))!.last_sequence, 2, 'the new owner writes');
  }));

  test(`${adapter} leases: the recovery scan finds active runs with expired or dead owners, never its own or finished ones`, withRun(open, async ({ store, runId: expired, flowchartId }) => {
    const mk = async (): Promise<string> => {
      const id = newRunId();
      await store.createRun({ id, flowchart_id: flowchartId, flowchart_version: 1, input: {} });
      return id;
    };
    const mine = await mk();
    const finished = await mk();
    const dead = await mk();
    // A lease that expired a second ago (negative TTL): deterministic, no waiting.
    const ee = await store.acquireLease(expired, OTHER, -1000, () => false);
    await store.commit({ ...commitOf(expired, 0, null, ['run.status'], 'running'), lease: { owner: OTHER, epoch: ee! } });
    const em = await store.acquireLease(mine, ME, TTL, () => false);
    await store.commit({ ...commitOf(mine, 0, null, ['run.status'], 'running'), lease: { owner: ME, epoch: em! } });
    const ef = await store.acquireLease(finished, OTHER, -1000, () => false);
    await store.commit({ ...commitOf(finished, 0, null, ['run.status'], 'succeeded'), lease: { owner: OTHER, epoch: ef! } });
    const ed = await store.acquireLease(dead, OTHER, TTL, () => false);
    await store.commit({ ...commitOf(dead, 0, null, ['run.status'], 'running'), lease: { owner: OTHER, epoch: ed! } });
    const found = await store.findRunsToRecover(ME, () => false);
    assert.ok(found.includes(expired), 'the run whose lease expired');
    assert.ok(!found.includes(dead), 'a live lease of another owner');
    assert.ok(!found.includes(mine), 'never its own runs');
    assert.ok(!found.includes(finished), 'never finished runs');
    assert.ok((await store.findRunsToRecover(ME, (o) => o === OTHER)).includes(dead), 'a lease whose owner is dead');
  }));
}
