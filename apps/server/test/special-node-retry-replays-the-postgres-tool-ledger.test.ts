import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LlmctlError } from '@llmctl/contracts';
import { memoryHandler, type NodeHandler } from '@llmctl/runtime';
import { FlowchartRepository, openDatabase } from '@llmctl/store';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { composeRuntime } from '../src/runtime/compose-runtime.ts';

test('on PostgreSQL, a memory node attempt that fails after its tool call is retried and replays the ledger: one memory row', async () => {
  const scratch = await createTestDatabase();
  const db = await openDatabase({ databaseUrl: scratch.url, poolMax: 5 });
  let composed: ReturnType<typeof composeRuntime> | undefined;
  let crashed = false;
  // The real memory handler over the composed gateway, failing its first attempt right after the tool call returned.
  const flakyMemory: NodeHandler = (x) => memoryHandler({
    tools: {
      ...composed!.tools.gateway,
      async invoke(nx, name, input, index) {
        const result = await composed!.tools.gateway.invoke(nx, name, input, index);
        if (!crashed) {
          crashed = true;
          throw new LlmctlError('interrupted', 'simulated crash after the tool call', {}, true);
        }
        return result;
      },
    },
  })(x);
  composed = composeRuntime({ pool: db.pool, handlers: { memory: flakyMemory } });
  const { orchestrator } = composed;
  await orchestrator.start();
  try {
    const fc = await new FlowchartRepository(db.pool).create({
      warnings: [],
      document: {
        schema_version: 1, name: 'retry replay',
        nodes: [
          { id: 'start', type: 'start' },
          { id: 'remember', type: 'memory', config: { op: 'add', text: 'remember {{input.v}}' }, retry: { max_attempts: 2, backoff_ms: 1 } },
          { id: 'done', type: 'end' },
        ],
        edges: [{ id: 'e1', source: 'start', target: 'remember' }, { id: 'e2', source: 'remember', target: 'done' }],
      },
    });
    const runId = await orchestrator.startRun(fc.id, { input: { v: 7 } }, { request_id: 'req-1', correlation_id: 'corr-1' });
    for (let i = 0; i < 400; i += 1) {
      const r = await db.pool.query('SELECT status FROM runs WHERE id = $1', [runId]);
      if (['succeeded', 'failed'].includes(r.rows[0].status)) break;
      await new Promise((res) => setTimeout(res, 25));
    }
    const run = await db.pool.query('SELECT status, output FROM runs WHERE id = $1', [runId]);
    assert.equal(run.rows[0].status, 'succeeded');
    assert.equal(run.rows[0].output.memory.text, 'remember 7');
    const memories = await db.pool.query('SELECT count(*)::int AS n FROM memories WHERE run_id = $1', [runId]);
    assert.equal(memories.rows[0].n, 1);
    const audit = await db.pool.query('SELECT status, attempts, correlation_id, run_id FROM tool_audit WHERE run_id = $1 ORDER BY id', [runId]);
    assert.deepEqual(audit.rows.map((a) => [a.status, a.correlation_id]), [['success', 'corr-1'], ['replayed', 'corr-1']]);
    const calls = await db.pool.query('SELECT idempotency_key, status FROM tool_calls WHERE run_id = $1', [runId]);
    assert.equal(calls.rows.length, 1);
    assert.match(calls.rows[0].idempotency_key, /^run:.*:node:remember:iter:1:tool:0$/);
    const artifacts = await db.pool.query('SELECT count(*)::int AS n, max(idempotency_key) AS k FROM artifacts WHERE run_id = $1', [runId]);
    assert.equal(artifacts.rows[0].n, 1);
    assert.equal(artifacts.rows[0].k, calls.rows[0].idempotency_key);
  } finally {
    await orchestrator.stop();
    await db.close();
    await scratch.drop();
  }
});
