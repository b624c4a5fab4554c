import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invokeTool, ToolRegistry } from '../src/index.ts';
import { demoTool } from './demo-tools.ts';
import { makeCtx } from './helpers.ts';

test('invalid input fails with tool_input_invalid, the ajv errors in details, and the tool does not run', async () => {
  const { tool, state } = demoTool();
  const { ctx, audit, ledger } = makeCtx('/tmp');
  const c = ctx();
  const result = await invokeTool(new ToolRegistry([tool]), 'demo', { n: 'x', extra: true }, c);
  assert.equal(result.status, 'failed');
  assert.equal(result.error?.code, 'tool_input_invalid');
  const errors = result.error?.details.errors as { keyword: string; instance_path: string }[];
  assert.deepEqual(errors.map((e) => e.keyword).sort(), ['additionalProperties', 'type']);
  assert.equal(state.sideEffects, 0);
  assert.equal(await ledger.get(c.idempotency_key), null);
  assert.equal(audit.records[0]?.status, 'failed');
  assert.equal(audit.records[0]?.error?.code, 'tool_input_invalid');
});

test('an unknown tool name fails with tool_unknown and is audited', async () => {
  const { ctx, audit } = makeCtx('/tmp');
  const result = await invokeTool(new ToolRegistry(), 'nope', {}, ctx());
  assert.equal(result.error?.code, 'tool_unknown');
  assert.equal(audit.records.length, 1);
});
