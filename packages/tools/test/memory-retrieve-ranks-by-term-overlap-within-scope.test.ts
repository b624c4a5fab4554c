import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemoryMemoryStore, invokeTool, memoryTool, ToolRegistry } from '../src/index.ts';
import { makeCtx } from './helpers.ts';

test('retrieve ranks memories by shared query terms, within the flowchart or global scope', async () => {
  const store = new InMemoryMemoryStore();
  const registry = new ToolRegistry([memoryTool(store)]);
  const { ctx } = makeCtx('/tmp');
  const add = async (text: string, scope: 'flowchart' | 'global', flowchart_id = 'fc1') =>
    invokeTool(registry, 'memory', { op: 'add', text, scope }, { ...ctx(), flowchart_id });
  await add('Customer Alice prefers email contact', 'flowchart');
  await add('Alice lives in Berlin', 'flowchart');
  await add('Unrelated note about invoices', 'flowchart');
  await add('Alice email is on file globally', 'global');
  await add('Alice prefers email in another flowchart', 'flowchart', 'fc2');

  const r = await invokeTool(registry, 'memory', { op: 'retrieve', query: 'alice email', scope: 'flowchart', limit: 5 }, ctx());
  assert.equal(r.status, 'success');
  const out = r.output as { op: string; memories: { text: string; scope: string; score: number }[]; count: number };
  assert.equal(out.op, 'retrieve');
  assert.deepEqual(out.memories.map((m) => m.text), ['Customer Alice prefers email contact', 'Alice lives in Berlin']);
  assert.equal(out.count, 2);
  assert.ok(out.memories.every((m) => m.scope === 'flowchart'));

  const g = await invokeTool(registry, 'memory', { op: 'retrieve', query: 'alice', scope: 'global' }, ctx());
  assert.deepEqual((g.output as typeof out).memories.map((m) => m.text), ['Alice email is on file globally']);
});

test('add returns { op: add, memory: { id, text, scope } } with an id derived from the idempotency key', async () => {
  const store = new InMemoryMemoryStore();
  const registry = new ToolRegistry([memoryTool(store)]);
  const { ctx } = makeCtx('/tmp');
  const r = await invokeTool(registry, 'memory', { op: 'add', text: 'remember me', scope: 'global' }, ctx());
  const out = r.output as { op: string; memory: { id: string; text: string; scope: string } };
  assert.equal(out.op, 'add');
  assert.deepEqual({ ...out.memory, id: out.memory.id.startsWith('mem_') }, { id: true, text: 'remember me', scope: 'global' });
  assert.deepEqual((await store.list({})).map((m) => [m.run_id, m.node_run_id, m.scope]), [['r1', 'nr1', 'global']]);
});

test('a flowchart-scoped memory outside a flowchart fails with tool_input_invalid', async () => {
  const registry = new ToolRegistry([memoryTool(new InMemoryMemoryStore())]);
  const { ctx } = makeCtx('/tmp', { flowchart_id: null });
  const r = await invokeTool(registry, 'memory', { op: 'add', text: 'x' }, ctx());
  assert.equal(r.error?.code, 'tool_input_invalid');
});
