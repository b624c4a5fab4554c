import assert from 'node:assert/strict';
import { test } from 'node:test';
import { counted, makeCtx } from './helpers.ts';
import { invokeTool, ToolRegistry } from '../src/index.ts';
import { TOOL_CASES } from './tool-cases.ts';

for (const c of TOOL_CASES) {
  test(`${c.name}: input that fails its schema is refused with tool_input_invalid before running`, async () => {
    const env = await c.setup();
    try {
      const { tool, runs } = counted(env.tool);
      const { ctx } = makeCtx(env.workspace);
      const result = await invokeTool(new ToolRegistry([tool]), c.name, c.invalid, ctx());
      assert.equal(result.status, 'failed');
      assert.equal(result.error?.code, 'tool_input_invalid');
      assert.ok((result.error?.details.errors as unknown[]).length > 0);
      assert.equal(runs(), 0);
    } finally {
      env.cleanup();
    }
  });
}
