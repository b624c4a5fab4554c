/**
 * A pause settles the run's actor and releases its lease in the background. A resume that arrives before that release
 * has landed takes the lease again (same owner, next epoch); the old release must not then clear the new lease, or the
 * resume's commit is fenced (`conflict`). Found by the studio e2e "a count join … shows its late token as discarded",
 * whose resume answered 409 "commit … was fenced". The release is held by a gate here, so the order is forced, not timed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeExecution, NodeResult } from '../src/index.ts';
import { flow, harness } from './support/harness.ts';

const meta = { request_id: null, correlation_id: null, actor: 'test' };

test('a resume sent while the pause is still releasing the lease commits (is not fenced) and the run finishes', async () => {
  let started!: () => void;
  const attemptStarted = new Promise<void>((r) => (started = r));
  let attempts = 0;
  const h = await harness({
    // the first attempt hangs until the pause aborts it; the attempt after the resume answers
    hang: (x: NodeExecution) => new Promise<NodeResult>((resolve, reject) => {
      attempts += 1;
      if (attempts > 1) return resolve({ output: 'done' });
      started();
      x.signal.addEventListener('abort', () => reject(x.signal.reason ?? new Error('aborted')), { once: true });
    }),
  });
  try {
    const release = h.store.releaseLease.bind(h.store);
    let openGate!: () => void;
    const gate = new Promise<void>((r) => (openGate = r));
    let releaseCalled!: () => void;
    const releaseWasCalled = new Promise<void>((r) => (releaseCalled = r));
    h.store.releaseLease = async (runId: string, owner: string) => {
      releaseCalled();
      await gate;
      return release(runId, owner);
    };

    const runId = await h.run(flow([{ id: 's', type: 'start' }, { id: 'hang' }, { id: 'z', type: 'end' }], ['s>hang', 'hang>z']));
    await attemptStarted;
    await h.orch.control(runId, { action: 'pause', mode: 'now' }, meta);
    await h.wait(runId, ['paused']);
    await releaseWasCalled; // the paused actor settled; its lease release is held at the gate

    const resumed = h.orch.control(runId, { action: 'resume' }, meta);
    openGate(); // the pause's release lands while the resume is on its way
    await resumed; // was: LlmctlError conflict "commit to run … was fenced"
    await h.wait(runId);
    assert.equal(h.status(runId), 'succeeded');
    assert.equal(h.store.runs.get(runId)!.lease_owner, null, 'the finished run released its lease');
  } finally {
    await h.stop();
  }
});
