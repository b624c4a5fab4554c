import { validateAgainst } from '@llmctl/contracts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { artifactId, invokeTool, ToolRegistry } from '../src/index.ts';
import { demoTool, transient } from './demo-tools.ts';
import { makeCtx } from './helpers.ts';

test('artifacts of the successful attempt are persisted with deterministic ids', async () => {
  const { tool } = demoTool({
    behaviour: (input, ctx, attempt) => {
      ctx.emitArtifact({ kind: 'scratch', name: `attempt-${attempt}`, content: {} });
      if (attempt === 1) throw transient();
    },
  });
  const { ctx, artifacts } = makeCtx('/tmp');
  const c = ctx();
  const result = await invokeTool(new ToolRegistry([tool]), 'demo', { n: 3 }, c);
  assert.deepEqual(artifacts.persisted.map((a) => [a.id, a.name, a.version, a.media_type]), [
    [artifactId(c.idempotency_key, 0), 'attempt-2', 1, 'application/json'],
    [artifactId(c.idempotency_key, 1), 'demo-3', 1, 'application/json'],
  ]);
  assert.deepEqual(result.artifacts.map((a) => a.name), ['attempt-2', 'demo-3']);
  assert.equal(artifacts.persisted[0]?.run_id, 'r1');
  assert.equal(artifacts.persisted[0]?.node_run_id, 'nr1');
});

test('every invocation writes one audit record with ids, status and duration', async () => {
  const { tool } = demoTool();
  const { ctx, audit } = makeCtx('/tmp');
  const c = ctx();
  await invokeTool(new ToolRegistry([tool]), 'demo', { n: 1 }, c);
  assert.equal(audit.records.length, 1);
  const r = audit.records[0]!;
  assert.deepEqual(
    { tool: r.tool, key: r.idempotency_key, corr: r.correlation_id, req: r.request_id, status: r.status, error: r.error },
    { tool: 'demo', key: c.idempotency_key, corr: 'corr-1', req: 'req-1', status: 'success', error: undefined },
  );
  assert.ok(r.duration_ms >= 0);
});

test('the tracer receives one tool span per invocation', async () => {
  const { tool } = demoTool();
  const { ctx, spans } = makeCtx('/tmp');
  await invokeTool(new ToolRegistry([tool]), 'demo', { n: 1 }, ctx());
  assert.equal(spans.length, 1);
  assert.equal(spans[0]?.kind, 'tool');
  assert.equal(spans[0]?.correlation_id, 'corr-1');
  assert.equal(spans[0]?.status, 'success');
});

test('results validate against the published tool-result contract', async () => {
  const { tool } = demoTool({ max_attempts: 1, behaviour: (i) => { if (i.n === 0) throw transient(); } });
  const { ctx } = makeCtx('/tmp');
  const ok = await invokeTool(new ToolRegistry([tool]), 'demo', { n: 1 }, ctx());
  const failed = await invokeTool(new ToolRegistry([tool]), 'demo', { n: 0 }, ctx());
  assert.deepEqual(validateAgainst('tool-result', ok).errors, []);
  assert.deepEqual(validateAgainst('tool-result', failed).errors, []);
});
