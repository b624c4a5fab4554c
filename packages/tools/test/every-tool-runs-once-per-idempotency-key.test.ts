import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invokeTool, ToolRegistry } from '../src/index.ts';
import { counted, makeCtx } from './helpers.ts';
import { TOOL_CASES } from './tool-cases.ts';

for (const c of TOOL_CASES) {
  test(`${c.name}: a repeated call under the same key returns the recorded result and runs once`, async () => {
    const env = await c.setup();
    try {
      const { tool, runs } = counted(env.tool);
      const registry = new ToolRegistry([tool]);
      const { ctx } = makeCtx(env.workspace);
      const before = env.sideEffects ? await env.sideEffects() : 0;
      const first = await invokeTool(registry, c.name, c.valid, ctx(0));
      assert.equal(first.status, 'success', JSON.stringify(first.error));
      const afterFirst = env.sideEffects ? await env.sideEffects() : 0;
      const second = await invokeTool(registry, c.name, c.valid, ctx(0));
      assert.deepEqual(second, first);
      assert.equal(runs(), 1);
      if (env.sideEffects) {
        assert.equal(afterFirst - before, 1, 'the side effect happened once');
        assert.equal(await env.sideEffects(), afterFirst, 'the repeat did not happen again');
      }
    } finally {
      env.cleanup();
    }
  });
}
