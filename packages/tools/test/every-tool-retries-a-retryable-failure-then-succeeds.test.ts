import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invokeTool, ToolRegistry } from '../src/index.ts';
import { flaky, makeCtx } from './helpers.ts';
import { TOOL_CASES } from './tool-cases.ts';

for (const c of TOOL_CASES) {
  test(`${c.name}: two retryable failures are retried and the third attempt succeeds`, async () => {
    const env = await c.setup();
    try {
      const { tool, runs } = flaky(env.tool, 2, { max_attempts: 3 });
      const { ctx, ledger } = makeCtx(env.workspace);
      const call = ctx();
      const result = await invokeTool(new ToolRegistry([tool]), c.name, c.valid, call);
      assert.equal(result.status, 'success', JSON.stringify(result.error));
      assert.equal(runs(), 3);
      assert.equal((await ledger.get(call.idempotency_key))?.attempts, 3);
    } finally {
      env.cleanup();
    }
  });
}
