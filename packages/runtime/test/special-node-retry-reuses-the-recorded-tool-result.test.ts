import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LlmctlError } from '@llmctl/contracts';
import type { ToolGateway } from '../src/index.ts';
import { chart, specialHarness } from './support/special-harness.ts';

/** Fails the node attempt right after its first tool call returned (as a crash after the result was recorded would). */
function crashAfterFirstCall(error: LlmctlError) {
  let crashed = false;
  return (g: ToolGateway): ToolGateway => ({
    ...g,
    async invoke(x, name, input, index) {
      const result = await g.invoke(x, name, input, index);
      if (!crashed) {
        crashed = true;
        throw error;
      }
      return result;
    },
  });
}

const doc = chart(
  [
    { id: 'start', type: 'start' },
    { id: 'remember', type: 'memory', config: { op: 'add', text: 'note {{input.n}}' }, retry: { max_attempts: 3, backoff_ms: 1 } },
    { id: 'plan', type: 'plan', config: { plan_key: 'p', items: ['A'] } },
    { id: 'done', type: 'end' },
  ],
  ['start>remember', 'remember>plan', 'plan>done'],
);

test('a node attempt retried after its tool call succeeded replays the recorded result: the memory is written once', async () => {
  const h = await specialHarness({ wrapGateway: crashAfterFirstCall(new LlmctlError('interrupted', 'simulated crash', {}, true)) });
  try {
    const run = await h.wait(await h.run(doc, { n: 1 }));
    assert.equal(run.status, 'succeeded');
    const nr = run.node_runs.find((r) => r.node_id === 'remember')!;
    assert.equal(nr.attempts.length, 2);
    assert.equal(h.counts.memory_add, 1);
    assert.equal((await h.stores.memory.list({})).length, 1);
    const key = `${nr.idempotency_key}:tool:0`;
    assert.deepEqual((await h.audit.list({ idempotency_key: key })).map((a) => a.status), ['success', 'replayed']);
    assert.equal((await h.ledger.get(key))?.status, 'succeeded');
  } finally {
    await h.stop();
  }
});

test('a failed node run retried through the retry control keeps its key and reuses the recorded tool result', async () => {
  const h = await specialHarness({ wrapGateway: crashAfterFirstCall(new LlmctlError('tool_failed', 'failed after the write', {}, false)) });
  try {
    const runId = await h.run(doc, { n: 2 });
    const failed = await h.wait(runId);
    assert.equal(failed.status, 'failed');
    const first = failed.node_runs.find((r) => r.node_id === 'remember')!;
    assert.equal(h.counts.memory_add, 1);
    await h.orch.control(runId, { action: 'retry', node_run_id: first.id }, { request_id: null, correlation_id: null, actor: 'test' });
    const run = await h.wait(runId);
    assert.equal(run.status, 'succeeded');
    const retried = run.node_runs.find((r) => r.retry_of === first.id)!;
    assert.equal(retried.idempotency_key, first.idempotency_key);
    assert.equal(h.counts.memory_add, 1);
    assert.equal((run.node_runs.find((r) => r.node_id === 'remember' && r.status === 'succeeded')!.output as { memory: { text: string } }).memory.text, 'note 2');
  } finally {
    await h.stop();
  }
});
