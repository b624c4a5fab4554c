/**
 * `llmctl run` prints live progress from the engine's shared projection of the run log (it does not interpret event
 * kinds itself): folding the v1 fixture logs (through the upcaster) prints each node run as it runs, retries, succeeds
 * with its route, and the run's final status once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { newRunFold } from '@llmctl/engine';
import { RunProgress } from '../src/commands/run.ts';

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
