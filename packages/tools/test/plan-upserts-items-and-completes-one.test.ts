import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemoryPlanStore, invokeTool, itemKeyFromTitle, planTool, ToolRegistry } from '../src/index.ts';
import { makeCtx } from './helpers.ts';

test('create_or_update upserts items by key and complete_item completes one', async () => {
  const store = new InMemoryPlanStore();
  const registry = new ToolRegistry([planTool(store)]);
  const { ctx } = makeCtx('/tmp');
  const created = await invokeTool(registry, 'plan', { op: 'create_or_update', plan_key: 'launch', items: [{ title: 'Write docs' }, { key: 'ship', title: 'Ship it' }] }, ctx());
  assert.deepEqual(created.output, {
    plan_key: 'launch',
    items: [
      { key: 'write-docs', title: 'Write docs', status: 'pending' },
      { key: 'ship', title: 'Ship it', status: 'pending' },
    ],
  });
  const updated = await invokeTool(registry, 'plan', { op: 'create_or_update', plan_key: 'launch', items: [{ key: 'ship', title: 'Ship v1', status: 'in_progress' }, { title: 'Announce' }] }, ctx());
  assert.deepEqual((updated.output as { items: unknown[] }).items, [
    { key: 'write-docs', title: 'Write docs', status: 'pending' },
    { key: 'ship', title: 'Ship v1', status: 'in_progress' },
    { key: 'announce', title: 'Announce', status: 'pending' },
  ]);
  const done = await invokeTool(registry, 'plan', { op: 'complete_item', plan_key: 'launch', item_key: 'ship' }, ctx());
  assert.deepEqual((done.output as { completed_item: unknown }).completed_item, { key: 'ship', title: 'Ship v1', status: 'completed' });
  assert.equal((await store.get('r1', 'launch'))?.status, 'open');
});

test('the plan is completed when every item is', async () => {
  const store = new InMemoryPlanStore();
  const registry = new ToolRegistry([planTool(store)]);
  const { ctx } = makeCtx('/tmp');
  await invokeTool(registry, 'plan', { op: 'create_or_update', plan_key: 'p', items: [{ title: 'Only' }] }, ctx());
  await invokeTool(registry, 'plan', { op: 'complete_item', plan_key: 'p', item_key: 'only' }, ctx());
  assert.equal((await store.get('r1', 'p'))?.status, 'completed');
});

test('completing an unknown item fails with plan_item_not_found and changes nothing', async () => {
  const store = new InMemoryPlanStore();
  const registry = new ToolRegistry([planTool(store)]);
  const { ctx } = makeCtx('/tmp');
  await invokeTool(registry, 'plan', { op: 'create_or_update', plan_key: 'p', items: [{ title: 'A' }] }, ctx());
  const r = await invokeTool(registry, 'plan', { op: 'complete_item', plan_key: 'p', item_key: 'zzz' }, ctx());
  assert.equal(r.error?.code, 'plan_item_not_found');
  assert.deepEqual(r.error?.details.known_items, ['a']);
  assert.equal((await store.get('r1', 'p'))?.items[0]?.status, 'pending');
});

test('item keys derive from titles and stay unique', () => {
  assert.equal(itemKeyFromTitle('  Write the Docs! '), 'write-the-docs');
  assert.equal(itemKeyFromTitle('!!!'), 'item');
});
