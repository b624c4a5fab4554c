/**
 * Write each output once (issue 17): a node's output is stored in the event that logged it, and nowhere else — not in
 * its node-run row, not in the tokens of the events and input snapshots downstream. The API still shows every value
 * in full: node runs (output, routing, input_snapshot with tokens and upstream) equal the shared projection of the
 * log, and the events read back carry their token outputs.
 *
 * Session 4: values reaching a node through context connectors (dotted) and the run input in the start node's token
 * are stored once too (the `node.started` context, the input snapshot's context and start token refer to them), and
 * every reader — the API's node runs and events, the takeover fold — still sees them in full, rows written before the
 * references included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newRunFold, foldRunEvent, nodeRunViews } from '@llmctl/engine';
import { foldLog } from '@llmctl/runtime';
import { PgRunStore } from '@llmctl/store';
import { startTestServer, type TestServer } from './support/test-server.ts';

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

    // Stored: the value once per event that logged a node output (start, a, b, c, j, end), plus the run's input (row
    // and `run.started`) and output; the start node's token refers to the run input.
    const pool = s.db.pool;
    const events = (await pool.query<{ kind: string; node_id: string | null; text: string }>(
      `SELECT payload->>'kind' AS kind, payload->>'node_id' AS node_id, payload::text AS text FROM run_events WHERE run_id = $1 ORDER BY sequence`, [runId])).rows;
    for (const e of events) {
      if (['node.succeeded', 'run.started', 'run.status'].includes(e.kind)) continue;
      assert.equal(count(e.text), 0, `${e.kind} of ${e.node_id} holds no copy`);
    }
    assert.ok(events.some((e) => e.kind === 'token.enqueued') && events.some((e) => e.kind === 'node.queued'));
    const rows = (await pool.query<{ node_id: string; status: string; output_seq: string | null; text: string }>(
      `SELECT node_id, status, output_seq, (COALESCE(output::text, '') || COALESCE(routing::text, '') || input_snapshot::text) AS text FROM node_runs WHERE run_id = $1`, [runId])).rows;
    assert.equal(rows.length, 6);
    for (const r of rows) {
      assert.equal(r.status, 'succeeded');
      assert.notEqual(r.output_seq, null, `${r.node_id} refers to the event that logged its output`);
      assert.equal(count(r.text), 0, `node run of ${r.node_id} holds no copy`);
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
    const api = apiNodeRuns(run);
    assert.deepEqual(api, JSON.parse(JSON.stringify(views)));
    assert.deepEqual((api[0] as { input_snapshot: { tokens: { output: unknown }[] } }).input_snapshot.tokens[0]!.output, { text: BIG }, 'the start token shows the run input');
    const j = api.find((n) => (n as { node_id?: string }).node_id === 'j') as unknown as { input_snapshot: { upstream: Record<string, unknown>; tokens: unknown[] } };
    assert.deepEqual(j.input_snapshot.upstream, { b: { text: BIG }, c: { text: BIG } });
    assert.equal(j.input_snapshot.tokens.length, 2);
  } finally {
    await s.close();
  }
});

/** Node runs as the API shows them, without the executor fields the log does not have. */
function apiNodeRuns(run: { node_runs: Record<string, unknown>[] }): Record<string, unknown>[] {
  return run.node_runs.map(({ executor: _e, attempts, ...n }) => ({ ...n, attempts: (attempts as Record<string, unknown>[]).map(({ executor: _x, ...a }) => a) }));
}

/** The run's events and node runs read through the API, and the views of the engine's fold of those events. */
async function readBack(s: TestServer, runId: string): Promise<{ events: { sequence: number; payload: Record<string, unknown> }[]; nodeRuns: Record<string, unknown>[]; folded: unknown }> {
  const run = (await s.request('GET', `/api/runs/${runId}`)).body.data;
  const events = (await s.request('GET', `/api/runs/${runId}/events?after_sequence=0&limit=1000`)).body.data as { sequence: number; payload: Record<string, unknown> }[];
  const fold = newRunFold(runId);
  for (const e of events) foldRunEvent(fold, e.payload);
  return { events, nodeRuns: apiNodeRuns(run), folded: JSON.parse(JSON.stringify(nodeRunViews(fold.state))) };
}

/** start → a → b → end (pass-through decisions); b also gets a's and start's outputs through context connectors. */
const contextDoc = {
  schema_version: 1, name: 'Context once',
  nodes: [
    { id: 'start', type: 'start' },
    { id: 'a', type: 'decision', config: { mode: 'deterministic', match: 'first' } },
    { id: 'b', type: 'decision', config: { mode: 'deterministic', match: 'first' } },
    { id: 'end', type: 'end' },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'a' },
    { id: 'e2', source: 'a', target: 'b', fallback: true },
    { id: 'e3', source: 'b', target: 'end', fallback: true },
    { id: 'c1', source: 'a', target: 'b', mode: 'context', required: true },
    { id: 'c2', source: 'start', target: 'b', mode: 'context' },
  ],
};

test('context values and the start token are stored once; events, node runs and the takeover fold show them in full, before and after a rewind, and old rows still read', async () => {
  const s = await startTestServer();
  try {
    const fc = await s.request('POST', '/api/flowcharts', contextDoc);
    assert.equal(fc.status, 201, fc.text);
    const runId = (await s.request('POST', `/api/flowcharts/${fc.body.data.id}/runs`, { input: { text: BIG } })).body.data.id as string;
    const run = (await s.request('GET', `/api/runs/${runId}?wait_s=60`)).body.data;
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    const pool = s.db.pool;

    // Stored: no context value and no start token holds a copy (the value is in the run row, run.started and the
    // node.succeeded events only).
    const OTHER = `other-${'z'.repeat(3000)}`;
    const copies = (text: string): number => count(text) + (text.split(OTHER).length - 1);
    const storedCopies = async (): Promise<string[]> => {
      const ev = (await pool.query<{ kind: string; node_id: string | null; text: string }>(
        `SELECT payload->>'kind' AS kind, payload->>'node_id' AS node_id, payload::text AS text FROM run_events WHERE run_id = $1 ORDER BY sequence`, [runId])).rows;
      const nr = (await pool.query<{ node_id: string; text: string }>(`SELECT node_id, input_snapshot::text AS text FROM node_runs WHERE run_id = $1`, [runId])).rows;
      // (run.control logs the control request itself, override included)
      return [...ev.filter((e) => !['node.succeeded', 'run.started', 'run.control', 'run.rewound', 'run.status'].includes(e.kind) && copies(e.text) > 0).map((e) => `${e.kind} ${e.node_id}`),
        ...nr.filter((r) => copies(r.text) > 0).map((r) => `input_snapshot ${r.node_id}`)];
    };
    assert.deepEqual(await storedCopies(), []);

    // Read back in full: b's context (event and input snapshot), the start token; node runs equal the fold of the events.
    let back = await readBack(s, runId);
    const started = back.events.map((e) => e.payload).find((p) => p.kind === 'node.started' && p.node_id === 'b')!;
    const a = back.nodeRuns.find((n) => n.node_id === 'a') as { output: unknown };
    assert.deepEqual(started.context, { a: a.output, start: { text: BIG } });
    assert.equal('context_refs' in started, false);
    const b = back.nodeRuns.find((n) => n.node_id === 'b') as { input_snapshot: { context: unknown } };
    assert.deepEqual(b.input_snapshot.context, { a: a.output, start: { text: BIG } });
    assert.deepEqual(back.nodeRuns, back.folded);

    // A rewind of the start node with another input: the new start token refers to the rewind's input, the old one
    // still reads the first input.
    const startRun = back.nodeRuns.find((n) => n.node_id === 'start') as { id: string };
    const rw = await s.request('POST', `/api/runs/${runId}/control`, { action: 'rewind', node_run_id: startRun.id, input_override: { text: OTHER } });
    assert.equal(rw.status, 200, rw.text);
    assert.equal((await s.request('GET', `/api/runs/${runId}?wait_s=60`)).body.data.status, 'succeeded');
    assert.deepEqual(await storedCopies(), []);
    assert.deepEqual((await pool.query(`SELECT payload->>'kind' AS kind FROM run_events WHERE run_id = $1 AND payload::text LIKE '%' || $2 || '%' ORDER BY sequence`, [runId, OTHER])).rows.map((r) => r.kind),
      ['run.control', 'run.rewound', 'node.succeeded', 'node.succeeded', 'node.succeeded', 'node.succeeded', 'run.status'], 'the override: stored where the first input was');
    back = await readBack(s, runId);
    const startTokens = back.events.map((e) => e.payload).filter((p) => p.kind === 'node.queued' && (p.node_run as { node_id: string }).node_id === 'start')
      .map((p) => (p.node_run as { tokens: { output: unknown }[] }).tokens[0]!.output);
    assert.deepEqual(startTokens, [{ text: BIG }, { text: OTHER }]);
    const contexts = back.events.map((e) => e.payload).filter((p) => p.kind === 'node.started' && p.node_id === 'b').map((p) => (p.context as { start: unknown }).start);
    assert.deepEqual(contexts, [{ text: BIG }, { text: OTHER }]);
    assert.deepEqual(back.nodeRuns, back.folded);

    // The takeover fold (the run store's log, expanded) gives the same node runs.
    const taken = await foldLog(new PgRunStore(pool), runId);
    assert.deepEqual(JSON.parse(JSON.stringify(nodeRunViews(taken))), back.folded);

    // Rows written before the references (values inline) read the same.
    for (const e of back.events) await pool.query('UPDATE run_events SET payload = $3 WHERE run_id = $1 AND sequence = $2', [runId, e.sequence, e.payload]);
    const states = (await pool.query<{ id: string }>('SELECT id FROM node_runs WHERE run_id = $1', [runId])).rows;
    for (const { id } of states) {
      const n = taken.node_runs[id]!;
      await pool.query('UPDATE node_runs SET input_snapshot = $2 WHERE id = $1', [id, { v: 2, tokens: n.tokens, ...(n.context ? { context: n.context } : {}) }]);
    }
    assert.ok((await storedCopies()).length > 0, 'the rows now hold the values inline');
    assert.deepEqual(await readBack(s, runId), back);
    assert.deepEqual(JSON.parse(JSON.stringify(nodeRunViews(await foldLog(new PgRunStore(pool), runId)))), back.folded);
  } finally {
    await s.close();
  }
});
