import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { finishedRun, seedSlowFlowchart, startRun } from './support/realtime.ts';

// The run routes validate bodies and queries with their route schemas (no hand-written checks): every failure is the
// api.md error envelope, 400 validation_failed naming the field, never a bare Fastify error or a 500.
test('run routes refuse bad input through their schemas with the coded envelope', async (t) => {
  const s: TestServer = await startTestServer();
  try {
    const fc = await seedSlowFlowchart(s, { tasks: 1, delayMs: 1, name: 'schemas' });
    const runId = await startRun(s, fc);
    await finishedRun(s, runId);

    const cases: [string, string, unknown, string][] = [
      ['POST', `/api/runs/${runId}/control`, { action: 'explode' }, 'action'],
      ['POST', `/api/runs/${runId}/control`, {}, 'action'],
      ['POST', `/api/runs/${runId}/control`, { action: 'retry', node_run_id: 7 }, 'node_run_id'],
      ['POST', `/api/runs/${runId}/control`, { action: 'cancel', mode: 'later' }, 'mode'],
      ['POST', `/api/runs/${runId}/control`, { action: 'cancel', reason: 'x'.repeat(1001) }, 'reason'],
      ['POST', `/api/runs/${runId}/control`, [], ''],
      ['POST', `/api/flowcharts/${fc}/runs`, { version: 0 }, 'version'],
      ['POST', `/api/flowcharts/${fc}/runs`, { version: '2' }, 'version'],
      // larger than a PostgreSQL integer: refused by the schema, not a 500 from the database (found by the OpenAPI fuzz)
      ['POST', `/api/flowcharts/${fc}/runs`, { version: 2147483648 }, 'version'],
      ['POST', '/api/runs/prune', { bogus: 1 }, 'bogus'],
      ['POST', '/api/runs/prune', { keep_last_runs: -1 }, 'keep_last_runs'],
      ['POST', '/api/runs/prune', { keep_finished_days: 1.5 }, 'keep_finished_days'],
      ['GET', `/api/runs/${runId}/events?limit=abc`, undefined, 'limit'],
      ['GET', `/api/runs/${runId}/events?after_sequence=-1`, undefined, 'after_sequence'],
      ['GET', `/api/runs/${runId}/events?after_sequence=99999999999999999999`, undefined, 'after_sequence'],
      ['GET', `/api/runs/${runId}?wait_s=61`, undefined, 'wait_s'],
      ['GET', '/api/runs?status=bogus', undefined, 'status'],
      ['GET', `/api/runs?cursor=${'x'.repeat(401)}`, undefined, 'cursor'],
      ['GET', '/api/runs?flowchart_id=a&flowchart_id=b', undefined, 'flowchart_id'],
    ];
    for (const [method, url, body, path] of cases) {
      await t.test(`${method} ${url.slice(0, 60)} ${JSON.stringify(body)?.slice(0, 40) ?? ''} → 400 at "${path}"`, async () => {
        const r = await s.request(method, url, body);
        assert.equal(r.status, 400, r.text);
        assert.equal(r.body.ok, false);
        assert.equal(r.body.error.code, 'validation_failed');
        assert.equal(r.body.error.contract_version, 'v1');
        assert.equal(r.body.error.retryable, false);
        assert.equal(typeof r.body.error.request_id, 'string');
        assert.ok(r.body.error.details.errors.some((e: { path: string }) => e.path === path), JSON.stringify(r.body.error.details));
      });
    }

    await t.test('valid input still passes: a 409 transition beats nothing, a body-less start is allowed', async () => {
      const again = await s.request('POST', `/api/runs/${runId}/control`, { action: 'pause' });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'invalid_transition');
      const retryWithoutNode = await s.request('POST', `/api/runs/${runId}/control`, { action: 'retry' });
      assert.equal(retryWithoutNode.status, 409, 'the transition check still comes before the node_run_id requirement');
      const bare = await s.request('POST', `/api/flowcharts/${fc}/runs`);
      assert.equal(bare.status, 201);
      const prune = await s.request('POST', '/api/runs/prune', { keep_last_runs: 100 });
      assert.equal(prune.status, 200);
      assert.deepEqual(prune.body.data.deleted_run_ids, []);
    });
  } finally {
    await s.close();
  }
});
