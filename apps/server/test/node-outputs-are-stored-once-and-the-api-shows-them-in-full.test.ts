/**
 * Write each output once (issue 17): a node's output is stored in the event that logged it, and nowhere else — not in
 * its node-run row, not in the tokens of the events and input snapshots downstream. The API still shows every value
 * in full: node runs (output, routing, input_snapshot with tokens and upstream) equal the shared projection of the
 * log, and the events read back carry their token outputs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newRunFold, foldRunEvent, nodeRunViews } from '@llmctl/engine';
import { startTestServer } from './support/test-server.ts';

const BIG = `payload-${'q'.repeat(3000)}`;

/** start → a → (b, c) → j (fan-in all) → end, every work node a pass-through decision: the input travels the graph. */
const doc = {
  schema_version: 1, name: 'Written once',
  nodes: [
    { id: 'start', type: 'start' },
    { id: 'a', type: 'decision', config: { mode: 'deterministic', match: 'all' } },
    { id: 'b', type: 'decision', config: { mode: 'deterministic', match: 'first' } },
    { id: 'c', type: 'decision', config: { mode: 'deterministic', match: 'first' } },
    { id: 'j', type: 'decision', config: { mode: 'deterministic', match: 'first' }, fan_in: { policy: 'all' } },
    { id: 'end', type: 'end' },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'a' },
    { id: 'e2', source: 'a', target: 'b', condition: 'true' },
    { id: 'e3', source: 'a', target: 'c', condition: 'true' },
    { id: 'e4', source: 'b', target: 'j', fallback: true },
    { id: 'e5', source: 'c', target: 'j', fallback: true },
    { id: 'e6', source: 'j', target: 'end', fallback: true },
  ],
};

const count = (text: string): number => text.split(BIG).length - 1;

test('each output is stored once, and node runs and events read back through the API equal the fold of the log', async () => {
  const s = await startTestServer();
  try {
    const fc = await s.request('POST', '/api/flowcharts', doc);
    assert.equal(fc.status, 201, fc.text);
    const runId = (await s.request('POST', `/api/flowcharts/${fc.body.data.id}/runs`, { input: { text: BIG } })).body.data.id as string;
    const run = (await s.request('GET', `/api/runs/${runId}?wait_s=60`)).body.data;
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));

    // Stored: the value once per event that logged a node output (start, a, b, c, j, end), plus the run's input and
    // output; the start node's token carries the run input itself (it has no source node run).
    const pool = s.db.pool;
    const events = (await pool.query<{ kind: string; node_id: string | null; text: string }>(
      `SELECT payload->>'kind' AS kind, payload->>'node_id' AS node_id, payload::text AS text FROM run_events WHERE run_id = $1 ORDER BY sequence`, [runId])).rows;
    for (const e of events) {
      if (['node.succeeded', 'run.started', 'run.status'].includes(e.kind) || (e.kind === 'node.queued' && e.node_id === 'start')) continue;
      assert.equal(count(e.text), 0, `${e.kind} of ${e.node_id} holds no copy`);
    }
    assert.ok(events.some((e) => e.kind === 'token.enqueued') && events.some((e) => e.kind === 'node.queued'));
    const rows = (await pool.query<{ node_id: string; status: string; output_seq: string | null; text: string }>(
      `SELECT node_id, status, output_seq, (COALESCE(output::text, '') || COALESCE(routing::text, '') || input_snapshot::text) AS text FROM node_runs WHERE run_id = $1`, [runId])).rows;
    assert.equal(rows.length, 6);
    for (const r of rows) {
      assert.equal(r.status, 'succeeded');
      assert.notEqual(r.output_seq, null, `${r.node_id} refers to the event that logged its output`);
      if (r.node_id !== 'start') assert.equal(count(r.text), 0, `node run of ${r.node_id} holds no copy`);
    }
    const succeeded = events.filter((e) => e.kind === 'node.succeeded');
    assert.equal(succeeded.length, 6);
    assert.ok(succeeded.every((e) => count(e.text) >= 1));

    // Read back: events carry their tokens' outputs; node runs equal the shared projection of those events.
    const logged = (await s.request('GET', `/api/runs/${runId}/events?after_sequence=0&limit=1000`)).body.data as { payload: Record<string, unknown> }[];
    const queued = logged.map((e) => e.payload).filter((p) => p.kind === 'node.queued' && (p.node_run as { node_id: string }).node_id === 'b');
    assert.deepEqual((queued[0]!.node_run as { tokens: { output: unknown }[] }).tokens[0]!.output, { text: BIG });
    const enqueued = logged.map((e) => e.payload).filter((p) => p.kind === 'token.enqueued');
    assert.equal(enqueued.length, 2);
    for (const p of enqueued) assert.deepEqual((p.token as { output: unknown }).output, { text: BIG });
    const fold = newRunFold(runId);
    for (const e of logged) foldRunEvent(fold, e.payload);
    const views = nodeRunViews(fold.state);
    const api = (run.node_runs as Record<string, unknown>[]).map(({ executor: _e, attempts, ...n }) => ({
      ...n, attempts: (attempts as Record<string, unknown>[]).map(({ executor: _x, ...a }) => a),
    }));
    assert.deepEqual(api, JSON.parse(JSON.stringify(views)));
    const j = api.find((n) => (n as { node_id?: string }).node_id === 'j') as unknown as { input_snapshot: { upstream: Record<string, unknown>; tokens: unknown[] } };
    assert.deepEqual(j.input_snapshot.upstream, { b: { text: BIG }, c: { text: BIG } });
    assert.equal(j.input_snapshot.tokens.length, 2);
  } finally {
    await s.close();
  }
});
