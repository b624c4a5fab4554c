import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemoryMilestoneStore, invokeTool, milestoneTool, ToolRegistry } from '../src/index.ts';
import { makeCtx } from './helpers.ts';

test('create_or_update then complete; terminated follows the terminate setting', async () => {
  const registry = new ToolRegistry([milestoneTool(new InMemoryMilestoneStore())]);
  const { ctx } = makeCtx('/tmp');
  const call = (input: unknown) => invokeTool(registry, 'milestone', input, ctx()).then((r) => r.output);
  assert.deepEqual(await call({ op: 'create_or_update', milestone_key: 'beta', title: 'Beta', terminate: 'on_complete' }), {
    milestone_key: 'beta', title: 'Beta', status: 'open', terminated: false,
  });
  assert.deepEqual(await call({ op: 'create_or_update', milestone_key: 'beta', title: 'Beta 2', terminate: 'always' }), {
    milestone_key: 'beta', title: 'Beta 2', status: 'open', terminated: true,
  });
  assert.deepEqual(await call({ op: 'complete', milestone_key: 'beta' }), {
    milestone_key: 'beta', title: 'Beta 2', status: 'completed', terminated: false,
  });
  assert.deepEqual(await call({ op: 'complete', milestone_key: 'beta', terminate: 'on_complete' }), {
    milestone_key: 'beta', title: 'Beta 2', status: 'completed', terminated: true,
  });
});

test('completing a milestone that does not exist creates it completed, titled by its key', async () => {
  const registry = new ToolRegistry([milestoneTool(new InMemoryMilestoneStore())]);
  const { ctx } = makeCtx('/tmp');
  const r = await invokeTool(registry, 'milestone', { op: 'complete', milestone_key: 'ga' }, ctx());
  assert.deepEqual(r.output, { milestone_key: 'ga', title: 'ga', status: 'completed', terminated: false });
});
