import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invokeTool, REPLAY_INPUT_CHANGED, ToolRegistry } from '../src/index.ts';
import { demoTool } from './demo-tools.ts';
import { makeCtx } from './helpers.ts';

test('a key with a recorded success returns that result and the side effect happens once', async () => {
  const { tool, state } = demoTool();
  const registry = new ToolRegistry([tool]);
  const { ctx, audit, artifacts } = makeCtx('/tmp');
  const first = await invokeTool(registry, 'demo', { n: 1 }, ctx(0));
  const second = await invokeTool(registry, 'demo', { n: 1 }, ctx(0));
  assert.equal(state.sideEffects, 1);
  assert.deepEqual(second, first);
  assert.deepEqual(audit.records.map((r) => r.status), ['success', 'replayed']);
  assert.equal(artifacts.persisted.length, 1);
});

test('a replay with different input keeps the recorded result and warns', async () => {
  const { tool, state } = demoTool();
  const registry = new ToolRegistry([tool]);
  const { ctx } = makeCtx('/tmp');
  await invokeTool(registry, 'demo', { n: 1 }, ctx(0));
  const again = await invokeTool(registry, 'demo', { n: 2 }, ctx(0));
  assert.equal(state.sideEffects, 1);
  assert.deepEqual(again.output, { n: 1 });
  assert.equal(again.warnings.at(-1)?.code, REPLAY_INPUT_CHANGED);
});

test('a key whose call failed runs again', async () => {
  let fail = true;
  const { tool, state } = demoTool({
    max_attempts: 1,
    behaviour: () => {
      if (fail) throw new Error('broken');
    },
  });
  const registry = new ToolRegistry([tool]);
  const { ctx } = makeCtx('/tmp');
  assert.equal((await invokeTool(registry, 'demo', { n: 1 }, ctx(0))).status, 'failed');
  fail = false;
  assert.equal((await invokeTool(registry, 'demo', { n: 1 }, ctx(0))).status, 'success');
  assert.equal(state.sideEffects, 1);
});

test('different keys run separately', async () => {
  const { tool, state } = demoTool();
  const registry = new ToolRegistry([tool]);
  const { ctx } = makeCtx('/tmp');
  await invokeTool(registry, 'demo', { n: 1 }, ctx(0));
  await invokeTool(registry, 'demo', { n: 1 }, ctx(1));
  assert.equal(state.sideEffects, 2);
});
