import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineTool, ToolRegistry } from '../src/index.ts';
import { demoTool } from './demo-tools.ts';

const base = {
  description: 'x',
  input_schema: { type: 'object' },
  output_schema: {},
  side_effect: 'read' as const,
  retry: { max_attempts: 1, backoff_ms: 0 },
  timeout_ms: 10,
  run: async () => null,
};

test('defineTool refuses bad names, retry policies, timeouts and schemas', () => {
  assert.throws(() => defineTool({ ...base, name: 'Bad Name' }));
  assert.throws(() => defineTool({ ...base, name: 'ok', retry: { max_attempts: 0, backoff_ms: 0 } }));
  assert.throws(() => defineTool({ ...base, name: 'ok', timeout_ms: 0 }));
  assert.throws(() => defineTool({ ...base, name: 'ok', input_schema: { type: 'nonsense' } }));
});

test('the registry refuses duplicate names and lists model-facing specs', () => {
  const { tool } = demoTool();
  const registry = new ToolRegistry([tool]);
  assert.throws(() => registry.register(tool));
  assert.deepEqual(registry.specs().map((s) => s.name), ['demo']);
  assert.deepEqual(registry.specs(['demo', 'missing']).length, 1);
  assert.equal(registry.has('demo'), true);
});
