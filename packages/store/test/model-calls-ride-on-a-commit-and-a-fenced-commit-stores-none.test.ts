/**
 * `Commit.model_calls` (issue 17: the model-call record written in the node's own commit): the records are inserted
 * by the commit statement, only for a run that passed its fence; `recordModelCalls` stores records on their own (the
 * runtime's path when the outcome commit did not happen).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '@llmctl/engine';
import type { Commit, ModelCallRecord } from '@llmctl/runtime';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { FlowchartRepository, PgModelCallLog, PgRunStore, createPool } from '../src/index.ts';

const ME = 'llmctl:mc-host:1:me';

function call(id: string, runId: string): ModelCallRecord {
  return {
    id, run_id: runId, node_run_id: `nr_${runId}`, node_id: 't', model_name: 'm', provider: 'scripted', attempt: 1, kind: 'chat',
    response_index: 0, status: 'succeeded', error: null, usage: { input_tokens: 3, output_tokens: 1 }, started_at: '2026-01-01T00:00:00.000Z',
    finished_at: '2026-01-01T00:00:01.000Z', idempotency_key: null, step: 0, repair_attempt: null,
    request: { messages: [{ role: 'user', content: 'hi' }], settings: {}, tools: [], digest: 'd' },
    response: { text: 'hello', text_length: 5, tool_calls: [], finish_reason: 'stop' }, parsed_output: null, latency_ms: 12, cost: null, replayed_from: null,
  };
}

function commitOf(runId: string, expected: number, calls: ModelCallRecord[]): Commit {
  return {
    run_id: runId, expected_sequence: expected, lease: { owner: ME, epoch: 1 },
    events: [{ sequence: expected + 1, event_id: `ev_${runId}_${expected + 1}`, event_type: 'flowchart:run:updated', payload: { kind: 'node.succeeded' } as unknown as EngineEvent, request_id: null, correlation_id: null }],
    node_runs: [], model_calls: calls,
    run: { status: 'running', input: {}, output: null, error: null, warnings: [], leftover_tokens: [], started_at: null, finished_at: null, running_ms: 0, running_since: null },
  };
}

test('model calls of a commit are stored by it, with every journal field; a fenced commit stores none; recordModelCalls stores on its own', async () => {
  const db = await createTestDatabase({ migrated: true });
  const pool = createPool(db.url, { max: 4 });
  try {
    const fc = await new FlowchartRepository(pool).create({ document: { schema_version: 1, name: 'mc', nodes: [{ id: 's', type: 'start' }], edges: [] } as never });
    const store = new PgRunStore(pool);
    for (const id of ['run_a', 'run_b']) await store.createLeasedRun({ id, flowchart_id: fc.id, flowchart_version: 1, input: {} }, ME, 60_000);
    const results = await Promise.allSettled([
      store.commit(commitOf('run_a', 0, [call('mc_a1', 'run_a'), call('mc_a2', 'run_a')])),
      store.commit(commitOf('run_b', 5, [call('mc_b1', 'run_b')])), // stale sequence: fenced
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected']);
    const log = new PgModelCallLog(pool);
    const stored = await log.forRun('run_a');
    assert.deepEqual(stored.map((c) => c.id).sort(), ['mc_a1', 'mc_a2']);
    const a1 = stored.find((c) => c.id === 'mc_a1')!;
    assert.deepEqual(
      [a1.node_run_id, a1.status, a1.step, a1.latency_ms, a1.usage, a1.response?.text, a1.request?.digest, a1.parsed_output, a1.cost],
      ['nr_run_a', 'succeeded', 0, 12, { input_tokens: 3, output_tokens: 1 }, 'hello', 'd', null, null],
    );
    assert.deepEqual(await log.forRun('run_b'), [], 'a fenced commit stores none of its model calls');
    await store.recordModelCalls([call('mc_b1', 'run_b')]);
    assert.deepEqual((await log.forRun('run_b')).map((c) => c.id), ['mc_b1']);
  } finally {
    await pool.end();
    await db.drop();
  }
});
