/**
 * The studio's live run view is the engine's shared projection of the run log (issue 18): folding a run's logged
 * events (v1 fixture logs, through the upcaster) gives exactly the node runs and run fields the runtime wrote for it;
 * joins show the tokens held per connector while they wait, and the tokens they discarded; the server's run row
 * supplies only what the log does not hold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { foldLogged, liveRunView, mergeLiveRun, newLiveFold } from '../src/core/live-run.ts';
import { nodeRun, run } from './fixtures.ts';

interface Fixture {
  runs: { name: string; run_id: string; events: { sequence: number; payload: Record<string, unknown> }[]; run: Record<string, unknown>; node_runs: unknown[] }[];
}
const fixture = JSON.parse(readFileSync(new URL('../../../packages/runtime/test/fixtures/run-logs-v1.json', import.meta.url), 'utf8')) as Fixture;

test('a v1 log folds, in the studio, to the node runs and run fields the runtime wrote', () => {
  for (const r of fixture.runs) {
    const fold = newLiveFold(r.run_id);
    foldLogged(fold, r.events.map((e) => e.payload));
    const v = liveRunView(fold);
    assert.equal(v.sequence, r.events.length);
    assert.deepEqual(JSON.parse(JSON.stringify(v.node_runs)), r.node_runs, r.name);
    assert.equal(v.run.status, r.run.status);
    assert.deepEqual(v.run.output, r.run.output);
  }
});

test('while a join waits the view holds its tokens per connector; once it fires it holds none', () => {
  const r = fixture.runs.find((x) => x.name === 'fan-out and all join')!;
  const fold = newLiveFold(r.run_id);
  let sawWaiting = false;
  for (const e of r.events) {
    foldLogged(fold, [e.payload]);
    const j = liveRunView(fold).joins.j;
    if (j && j.held > 0) {
      sawWaiting = true;
      assert.equal(Object.values(j.queues).reduce((n, q) => n + q.length, 0), j.held);
      for (const [c, q] of Object.entries(j.queues)) for (const t of q) assert.equal(t.connector_id, c);
    }
  }
  assert.ok(sawWaiting, 'the all join waited');
  assert.equal(liveRunView(fold).joins.j!.held, 0);
});

test('tokens a join discards and tokens left over at the end are shown as discarded, with their source node', () => {
  const at = '2026-12-06T00:00:00.000Z';
  const fold = newLiveFold('r1');
  const tok = { connector_id: 'e5', source_node_id: 'fix', source_node_run_id: 'nr_fix', output: null, seq: 3, order: 0 };
  foldLogged(fold, [
    { kind: 'run.started', input: {}, at, v: 2 },
    { kind: 'node.queued', node_id: 'fix', node_run: { id: 'nr_fix', node_id: 'fix', node_type: 'task', iteration: 1, tokens: [], idempotency_key: 'k', retry_of: null, rewound_from: null }, at, v: 2 },
    { kind: 'token.enqueued', node_id: 'merge', connector_id: 'e5', token: tok, at, v: 2 },
  ]);
  assert.equal(liveRunView(fold).joins.merge!.held, 1);
  foldLogged(fold, [{ kind: 'join.discarded', node_id: 'merge', tokens: [{ node_id: 'merge', connector_id: 'e5', source_node_run_id: 'nr_fix' }], at, v: 2 }]);
  let j = liveRunView(fold).joins.merge!;
  assert.equal(j.held, 0);
  assert.deepEqual(j.discarded.map((d) => [d.connector_id, d.source_node_id, d.reason]), [['e5', 'fix', 'join.discarded']]);
  foldLogged(fold, [
    { kind: 'token.enqueued', node_id: 'merge', connector_id: 'e5', token: { ...tok, seq: 6 }, at, v: 2 },
    { kind: 'run.status', status: 'succeeded', from: 'running', output: {}, leftover_tokens: [{ node_id: 'merge', connector_id: 'e5', source_node_run_id: 'nr_fix' }], at, v: 2 },
  ]);
  j = liveRunView(fold).joins.merge!;
  assert.deepEqual(j.discarded.map((d) => d.reason), ['join.discarded', 'run_finished']);
});

test('the shown run takes the log\'s fields and node runs, and the server row\'s executor details', () => {
  const fold = newLiveFold('r1');
  const at = '2026-12-06T00:00:00.000Z';
  foldLogged(fold, [
    { kind: 'run.started', input: { q: 1 }, at, v: 2 },
    { kind: 'node.queued', node_id: 'a', node_run: { id: 'n1', node_id: 'a', node_type: 'task', iteration: 1, tokens: [], idempotency_key: 'k', retry_of: null, rewound_from: null }, at, v: 2 },
    { kind: 'node.started', node_id: 'a', node_run_id: 'n1', context: {}, at, v: 2 },
    { kind: 'node.attempt_started', node_id: 'a', node_run_id: 'n1', n: 1, at, v: 2 },
  ]);
  const executor = { kind: 'local', name: 'worker-1' } as never;
  const server = run({ status: 'queued', node_runs: [nodeRun({ id: 'n1', node_id: 'a', status: 'queued', attempts: [{ n: 1, started_at: at, finished_at: null, error: null, executor }] })] });
  const shown = mergeLiveRun(server, liveRunView(fold));
  assert.equal(shown.status, 'running');
  assert.deepEqual(shown.input, { q: 1 });
  assert.equal(shown.node_runs![0]!.status, 'running');
  assert.equal(shown.node_runs![0]!.attempts[0]!.executor, executor);
  assert.equal(shown.flowchart_id, server.flowchart_id);
  assert.equal(mergeLiveRun(server, null), server, 'nothing folded yet: the server row');
});

test('a live batch rebuilds the views of the node runs it touched and reuses the others', () => {
  const r = fixture.runs.find((x) => x.name === 'fan-out and all join')!;
  const fold = newLiveFold(r.run_id);
  const cut = r.events.findIndex((e) => e.payload.kind === 'node.succeeded' && e.payload.node_id === 'a');
  foldLogged(fold, r.events.slice(0, cut).map((e) => e.payload));
  const before = liveRunView(fold);
  const touched = foldLogged(fold, [r.events[cut]!.payload]);
  const after = liveRunView(fold, before, touched);
  for (const n of after.node_runs) {
    const prev = before.node_runs.find((x) => x.id === n.id);
    if (touched.has(n.id)) assert.notEqual(n, prev);
    else assert.equal(n, prev, `${n.node_id} reused`);
  }
  assert.deepEqual(after.node_runs, liveRunView(fold).node_runs, 'the same views as a full rebuild');
});
