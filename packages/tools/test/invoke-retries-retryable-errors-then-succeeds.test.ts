import { LlmctlError } from '@llmctl/contracts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invokeTool, ToolRegistry } from '../src/index.ts';
import { demoTool, transient } from './demo-tools.ts';
import { makeCtx } from './helpers.ts';

test('retryable errors are retried per policy until success', async () => {
  const { tool, state } = demoTool({ max_attempts: 3, behaviour: (_i, _c, attempt) => { if (attempt < 3) throw transient(); } });
  const { ctx, ledger, audit } = makeCtx('/tmp');
  const c = ctx();
  const result = await invokeTool(new ToolRegistry([tool]), 'demo', { n: 7 }, c);
  assert.equal(result.status, 'success');
  assert.deepEqual(result.output, { n: 7 });
  assert.equal(state.sideEffects, 1);
  assert.equal((await ledger.get(c.idempotency_key))?.attempts, 3);
  assert.equal(audit.records[0]?.attempts, 3);
});

test('retries stop at max_attempts with the last error', async () => {
  const { tool, state } = demoTool({ max_attempts: 2, behaviour: () => { throw transient(); } });
  const { ctx } = makeCtx('/tmp');
  const result = await invokeTool(new ToolRegistry([tool]), 'demo', { n: 1 }, ctx());
  assert.equal(result.error?.code, 'unavailable');
  assert.equal(state.signals.length, 2);
});

test('non-retryable errors are not retried', async () => {
  const { tool, state } = demoTool({ max_attempts: 5, behaviour: () => { throw new LlmctlError('tool_conflict', 'conflict'); } });
  const { ctx } = makeCtx('/tmp');
  const result = await invokeTool(new ToolRegistry([tool]), 'demo', { n: 1 }, ctx());
  assert.equal(result.error?.code, 'tool_conflict');
  assert.equal(state.signals.length, 1);
});

test('plain errors become non-retryable tool_failed', async () => {
  const { tool, state } = demoTool({ max_attempts: 5, behaviour: () => { throw new TypeError('bad'); } });
  const { ctx } = makeCtx('/tmp');
  const result = await invokeTool(new ToolRegistry([tool]), 'demo', { n: 1 }, ctx());
  assert.equal(result.error?.code, 'tool_failed');
  assert.equal(result.error?.retryable, false);
  assert.equal(state.signals.length, 1);
});
