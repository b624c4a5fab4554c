import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invokeTool, ToolRegistry } from '../src/index.ts';
import { demoTool, untilAborted } from './demo-tools.ts';
import { makeCtx } from './helpers.ts';

test('an attempt over timeout_ms fails with tool_timeout and its signal is aborted', async () => {
  const { tool, state } = demoTool({ max_attempts: 1, timeout_ms: 50, behaviour: (_i, ctx) => untilAborted(ctx.signal) });
  const { ctx } = makeCtx('/tmp');
  const result = await invokeTool(new ToolRegistry([tool]), 'demo', { n: 1 }, ctx());
  assert.equal(result.error?.code, 'tool_timeout');
  assert.equal(state.signals[0]?.aborted, true);
});

test('timeouts are retryable: a later attempt can succeed', async () => {
  const { tool } = demoTool({ max_attempts: 2, timeout_ms: 50, behaviour: (_i, ctx, attempt) => (attempt === 1 ? untilAborted(ctx.signal) : undefined) });
  const { ctx } = makeCtx('/tmp');
  const result = await invokeTool(new ToolRegistry([tool]), 'demo', { n: 1 }, ctx());
  assert.equal(result.status, 'success');
});

test('a tool that ignores its signal still times out', async () => {
  const { tool } = demoTool({ max_attempts: 1, timeout_ms: 30, behaviour: () => new Promise((r) => setTimeout(r, 300)) });
  const { ctx } = makeCtx('/tmp');
  const result = await invokeTool(new ToolRegistry([tool]), 'demo', { n: 1 }, ctx());
  assert.equal(result.error?.code, 'tool_timeout');
});

test('aborting the invocation signal cancels the attempt with canceled and no retry', async () => {
  const controller = new AbortController();
  const { tool, state } = demoTool({
    max_attempts: 3,
    behaviour: (_i, ctx) => {
      setTimeout(() => controller.abort(new Error('run canceled')), 10);
      return untilAborted(ctx.signal);
    },
  });
  const { ctx } = makeCtx('/tmp', { signal: controller.signal });
  const result = await invokeTool(new ToolRegistry([tool]), 'demo', { n: 1 }, ctx());
  assert.equal(result.error?.code, 'canceled');
  assert.equal(state.signals.length, 1);
  assert.equal(state.signals[0]?.aborted, true);
});
