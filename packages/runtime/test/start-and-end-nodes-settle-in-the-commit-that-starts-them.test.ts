/**
 * A start or end node only passes a value on: its outcome is committed with the commit that starts it (issue 17, one
 * commit per node transition). A start → task → end run is two commits: the start (run.started … the task's attempt)
 * and the task's outcome (… the end node's success and the run's). The log holds the same events in the same order as
 * when each node had its own commit, and a crash between the two commits re-runs the task once (nothing else).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Commit } from '../src/index.ts';
import { flow, harness } from './support/harness.ts';

const kindsOf = (c: Commit) => c.events.map((e) => `${(e.payload as { kind: string }).kind}${'node_id' in e.payload ? `:${(e.payload as { node_id: string }).node_id}` : ''}`);

test('a start → task → end run is two commits: the start node settles in the run\'s first commit, the end node in the task\'s', async () => {
  const h = await harness();
  const commits: string[][] = [];
  const commit = h.store.commit.bind(h.store);
  h.store.commit = async (c) => {
    commits.push(kindsOf(c));
    return commit(c);
  };
  try {
    const id = await h.run(flow([{ id: 's', type: 'start' }, { id: 'a' }, { id: 'z', type: 'end' }], ['s>a', 'a>z']), { x: 1 });
    await h.wait(id);
    assert.equal(h.status(id), 'succeeded');
    assert.deepEqual(commits, [
      ['run.started', 'node.queued:s', 'node.started:s', 'node.attempt_started:s', 'node.succeeded:s', 'node.queued:a', 'node.started:a', 'node.attempt_started:a'],
      ['node.succeeded:a', 'node.queued:z', 'node.started:z', 'node.attempt_started:z', 'node.succeeded:z', 'run.status'],
    ]);
    const events = await h.store.loadEvents(id, 0, 100);
    assert.deepEqual(events.map((e) => e.sequence), Array.from({ length: 14 }, (_, i) => i + 1));
    assert.deepEqual(h.store.runs.get(id)!.projection!.output, { x: 1 });
  } finally {
    await h.stop();
  }
});

test('a start node whose routing fails is not settled early: it fails the usual way after its start is committed', async () => {
  const h = await harness();
  const commits: string[][] = [];
  const commit = h.store.commit.bind(h.store);
  h.store.commit = async (c) => {
    commits.push(kindsOf(c));
    return commit(c);
  };
  try {
    // a condition on the start node's connector that cannot be evaluated: a routing error, so nothing is fused
    const id = await h.run(flow([{ id: 's', type: 'start' }, { id: 'a' }, { id: 'z', type: 'end' }],
      [{ source: 's', target: 'a', condition: 'input.missing.deeper == 1' }, 'a>z']), { x: 1 });
    await h.wait(id);
    assert.equal(commits[0]!.at(-1), 'node.attempt_started:s', 'the start node is left started');
    assert.equal(h.status(id), 'failed');
    assert.deepEqual(commits[1]!.slice(0, 1), ['node.failed:s']);
  } finally {
    await h.stop();
  }
});
