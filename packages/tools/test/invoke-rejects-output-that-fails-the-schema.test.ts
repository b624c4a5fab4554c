import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invokeTool, ToolRegistry } from '../src/index.ts';
import { demoTool } from './demo-tools.ts';
import { makeCtx } from './helpers.ts';

test('output that does not match the output schema fails with tool_output_invalid and is not retried', async () => {
  const { tool, state } = demoTool({ max_attempts: 3, behaviour: () => ({ n: 'not a number' }) });
  const { ctx, ledger, artifacts } = makeCtx('/tmp');
  const c = ctx();
  const result = await invokeTool(new ToolRegistry([tool]), 'demo', { n: 1 }, c);
  assert.equal(result.error?.code, 'tool_output_invalid');
  assert.ok(Array.isArray(result.error?.details.errors));
  assert.equal(state.signals.length, 1);
  assert.equal((await ledger.get(c.idempotency_key))?.status, 'failed');
  assert.equal(artifacts.persisted.length, 0);
});
