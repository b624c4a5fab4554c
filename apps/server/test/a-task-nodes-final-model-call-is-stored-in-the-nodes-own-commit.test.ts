/**
 * Issue 17: a task node's model-call record is written in the node's own commit (one round trip and one fsync'd
 * transaction less per task node), not by a separate INSERT. Calls that must be durable earlier keep their own write:
 * a failed call (retries count it) is recorded before the attempt's failure is committed. The provider metric still
 * sees every call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './support/test-server.ts';

const flow = (model: string) => ({
  schema_version: 1, name: `one-task-${model}`,
  nodes: [
    { id: 's', type: 'start' },
    { id: 't', type: 'task', config: { model, prompt: 'Say {{input.word}}' }, retry: { max_attempts: 2 } },
    { id: 'z', type: 'end' },
  ],
  edges: [{ id: 'e1', source: 's', target: 't' }, { id: 'e2', source: 't', target: 'z' }],
});

test('the final model call of a task node is stored in the same transaction as its node.succeeded event; a failed call before it', async () => {
  const s = await startTestServer();
  try {
    assert.equal((await s.request('POST', '/api/models', { name: 'plain', provider: 'scripted', settings: { responses: [{ output: 'hello' }] } })).status, 201);
    assert.equal((await s.request('POST', '/api/models', { name: 'flaky', provider: 'scripted', settings: { responses: [{ output: 'again', fail_times: 1 }] } })).status, 201);
    for (const [model, statuses] of [['plain', ['succeeded']], ['flaky', ['failed', 'succeeded']]] as const) {
      const fc = await s.request('POST', '/api/flowcharts', flow(model));
      assert.equal(fc.status, 201, fc.text);
      const runId = (await s.request('POST', `/api/flowcharts/${fc.body.data.id}/runs`, { input: { word: 'hi' } })).body.data.id as string;
      const run = (await s.request('GET', `/api/runs/${runId}?wait_s=30`)).body.data;
      assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
      const rows = (await s.db.pool.query(
        `SELECT m.status, m.attempt, m.xmin::text AS tx,
           (SELECT e.xmin::text FROM run_events e WHERE e.run_id = m.run_id AND e.payload->>'kind' = 'node.succeeded' AND e.payload->>'node_run_id' = m.node_run_id) AS success_tx
         FROM model_calls m WHERE m.run_id = $1 ORDER BY m.started_at, m.id`, [runId])).rows;
      assert.deepEqual(rows.map((r) => r.status), statuses, model);
      const last = rows[rows.length - 1];
      assert.ok(last.success_tx, 'the node.succeeded event is in the log');
      assert.equal(last.tx, last.success_tx, `${model}: the succeeded call is written by the node's own commit`);
      if (model === 'flaky') {
        assert.notEqual(rows[0].tx, last.success_tx, 'the failed call was recorded on its own, before the retry');
        assert.deepEqual(rows.map((r) => r.attempt), [1, 2]);
      }
    }
    const metrics = (await s.request('GET', '/metrics')).text;
    const count = (status: string): number => Number(new RegExp(`llmctl_provider_call_duration_seconds_count\\{provider="scripted",status="${status}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
    assert.equal(count('succeeded'), 2, 'the provider metric observed both calls stored with a commit');
    assert.equal(count('failed'), 1);
  } finally {
    await s.close();
  }
});
