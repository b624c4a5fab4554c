import { LlmctlError } from '@llmctl/contracts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invokeTool, ToolRegistry } from '@llmctl/tools';
import { applyFailurePolicy } from '../src/index.ts';
// The tool cases of the framework's own suite: every tool's failure mapped through the runtime's node-level policy.
import { flaky, makeCtx } from '../../tools/test/helpers.ts';
import { TOOL_CASES, type ToolCase, type ToolEnv } from '../../tools/test/tool-cases.ts';

async function failingCall(c: ToolCase, env: ToolEnv) {
  const { ctx } = makeCtx(env.workspace);
  if (c.failing) {
    const result = await invokeTool(new ToolRegistry([env.tool]), c.name, c.failing.input, ctx());
    return { result, code: c.failing.code };
  }
  const { tool } = flaky(env.tool, 99, { retryable: false, max_attempts: 1 });
  return { result: await invokeTool(new ToolRegistry([tool]), c.name, c.valid, ctx()), code: 'unavailable' };
}

for (const c of TOOL_CASES) {
  test(`${c.name}: a failure throws its code under on_failure=fail`, async () => {
    const env = await c.setup();
    try {
      const { result, code } = await failingCall(c, env);
      assert.equal(result.status, 'failed');
      assert.equal(result.error?.code, code);
      assert.throws(() => applyFailurePolicy(result, 'fail'), (e: unknown) => e instanceof LlmctlError && e.code === code);
    } finally {
      env.cleanup();
    }
  });

  test(`${c.name}: a failure degrades to success_with_warning under on_failure=fallback`, async () => {
    const env = await c.setup();
    try {
      const { result, code } = await failingCall(c, env);
      const degraded = applyFailurePolicy(result, 'fallback', { fallback_output: c.fallbackOutput ?? null });
      assert.equal(degraded.status, 'success_with_warning');
      assert.equal(degraded.fallback_used, true);
      assert.equal(degraded.degraded_reason, code);
      assert.deepEqual(degraded.warnings.at(-1)?.code, code);
      assert.deepEqual(degraded.output, c.fallbackOutput ?? null);
    } finally {
      env.cleanup();
    }
  });
}
