/**
 * `llmctl run` prints live progress from the engine's shared projection of the run log (it does not interpret event
 * kinds itself): folding the v1 fixture logs (through the upcaster) prints each node run as it runs, retries, succeeds
 * with its route, and the run's final status once; `runs show` lists what joins hold and discarded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { newRunFold } from '@llmctl/engine';
import { RunProgress } from '../src/commands/run.ts';
import { joinLines } from '../src/commands/runs-joins.ts';

interface Fixture {
  runs: { name: string; run_id: string; events: { payload: unknown }[] }[];
}
const fixture = JSON.parse(readFileSync(new URL('../../../packages/runtime/test/fixtures/run-logs-v1.json', import.meta.url), 'utf8')) as Fixture;

function progressOf(name: string): { lines: string[]; status: string } {
  const r = fixture.runs.find((x) => x.name === name)!;
  const lines: string[] = [];
  const p = new RunProgress(newRunFold(r.run_id), (l) => lines.push(l));
  // in two pages, as the CLI reads them
  const half = Math.floor(r.events.length / 2);
  p.apply(r.events.slice(0, half).map((e) => e.payload));
  const status = p.apply(r.events.slice(half).map((e) => e.payload));
  return { lines, status };
}

test('a retried node run prints its failed attempt, then its success; the run prints succeeded once', () => {
  const { lines, status } = progressOf('retried failure');
  assert.equal(status, 'succeeded');
  const flaky = lines.filter((l) => l.includes('flaky #1'));
  assert.match(flaky[0]!, /▶ flaky #1 running/);
  assert.ok(flaky.some((l) => /! flaky #1 attempt 1 failed \[provider_unavailable\], retrying/.test(l)), lines.join('\n'));
  assert.match(flaky[flaky.length - 1]!, /✓ flaky #1 succeeded/);
  assert.deepEqual(lines.filter((l) => l.startsWith('run ')), ['run succeeded']);
});

test('each node run of a join fan-out prints once per state, never twice in a row', () => {
  const { lines } = progressOf('fan-out and all join');
  for (const id of ['a #1', 'b #1', 'c #1', 'j #1']) {
    assert.deepEqual(lines.filter((l) => l.includes(` ${id} `)).map((l) => l.trim().split(' ').slice(-1)[0]), ['running', 'succeeded'], id);
  }
});

test('runs show lists the tokens a waiting join holds, and tokens joins discarded, from the same projection', () => {
  const r = fixture.runs.find((x) => x.name === 'fan-out and all join')!;
  const firstToken = r.events.findIndex((e) => (e.payload as { kind?: string }).kind === 'token.enqueued');
  const waiting = joinLines(r.run_id, r.events.slice(0, firstToken + 1).map((e) => e.payload));
  assert.equal(waiting.length, 1);
  assert.match(waiting[0]!, /^join j: holds 1 token\(s\): e\d from [abc] \(1\)$/);
  assert.deepEqual(joinLines(r.run_id, r.events.map((e) => e.payload)), [], 'the join fired: nothing held');
  const at = '2026-12-06T00:00:00.000Z';
  const discarded = joinLines('r', [
    { kind: 'node.queued', node_id: 'c', node_run: { id: 'nr_c', node_id: 'c', node_type: 'task', iteration: 1, tokens: [], idempotency_key: 'k', retry_of: null, rewound_from: null }, at },
    { kind: 'join.discarded', node_id: 'j', tokens: [{ node_id: 'j', connector_id: 'e6', source_node_run_id: 'nr_c' }], at },
  ]);
  assert.deepEqual(discarded, ['join j: discarded e6 from c (arrived after the join fired)']);
});
