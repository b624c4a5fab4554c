import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LlmctlError } from '@llmctl/contracts';
import { DEFAULT_RUNTIME_SETTINGS } from '@llmctl/store';
import { openTestPool } from './support/test-pool.ts';

test('runtime settings default to the inline executor, both image tags, timeouts and guardrails 500/60/8', async () => {
  const db = await openTestPool();
  try {
    const s = await db.repos.settings.getRuntime();
    assert.equal(s.executor, 'inline');
    assert.equal(s.images.frontier.repository, 'llmctl-executor-frontier');
    assert.equal(s.images.vllm.repository, 'llmctl-executor-vllm');
    assert.deepEqual(s.guardrails, { max_node_executions: 500, max_runtime_minutes: 60, max_parallel_nodes: 8, max_continuations: 100 });
    assert.equal(s.updated_at, null);
    assert.deepEqual({ ...s, updated_at: undefined }, { ...DEFAULT_RUNTIME_SETTINGS, updated_at: undefined });
  } finally {
    await db.close();
  }
});

test('putRuntime merges a partial update over the current settings and persists it', async () => {
  const db = await openTestPool();
  try {
    await db.repos.settings.putRuntime({ executor: 'queue', images: { vllm: { tag: '1.2.3' } } });
    const s = await db.repos.settings.putRuntime({ guardrails: { max_parallel_nodes: 4 } });
    assert.equal(s.executor, 'queue');
    assert.equal(s.images.vllm.tag, '1.2.3');
    assert.equal(s.images.vllm.repository, 'llmctl-executor-vllm');
    assert.equal(s.guardrails.max_parallel_nodes, 4);
    assert.equal(s.guardrails.max_node_executions, 500);
    assert.match(s.updated_at ?? '', /Z$/);
    assert.deepEqual(await db.repos.settings.getRuntime(), s);
  } finally {
    await db.close();
  }
});

test('putRuntime rejects unknown keys and bad values with validation_failed and writes nothing', async () => {
  const db = await openTestPool();
  try {
    for (const bad of [{ executr: 'inline' }, { executor: 'docker' }, { guardrails: { max_parallel_nodes: 0 } },
      { timeouts: 5 }, { images: { frontier: { tag: 'bad tag' } } }, [], 'x']) {
      await assert.rejects(db.repos.settings.putRuntime(bad), (err: unknown) => {
        assert.ok(err instanceof LlmctlError && err.code === 'validation_failed', JSON.stringify(bad));
        assert.ok(Array.isArray(err.details.errors));
        return true;
      });
    }
    assert.equal((await db.repos.settings.getRuntime()).updated_at, null);
  } finally {
    await db.close();
  }
});
