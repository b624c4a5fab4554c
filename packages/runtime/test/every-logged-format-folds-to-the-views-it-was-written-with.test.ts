/**
 * Every event format ever written has a fixture (packages/runtime/test/fixtures/run-logs-v<N>.json, written once by
 * support/write-log-fixture.ts, never regenerated): each still folds — upcast, then folded by the shared projection —
 * to the run and node-run views recorded with it, and each of its events validates against today's run-event schema
 * once upcast. Bumping EVENT_FORMAT_VERSION without an upcaster step, or changing the fold, fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { EVENT_FORMAT_VERSION, eventFormatOf, runEventIssues } from '@llmctl/contracts';
import { foldEvent, initialState, nodeRunViews, runView } from '@llmctl/engine';

interface Fixture {
  runs: { name: string; run_id: string; events: { sequence: number; payload: unknown }[]; run: unknown; node_runs: unknown[] }[];
}

const dir = new URL('./fixtures/', import.meta.url);
const fixtures = readdirSync(dir).map((f) => /^run-logs-v(\d+)\.json$/.exec(f)).filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({ version: Number(m[1]), data: JSON.parse(readFileSync(new URL(m[0], dir), 'utf8')) as Fixture }));

test('there is a fixture for every event format up to the current one', () => {
  assert.deepEqual(fixtures.map((f) => f.version).sort((a, b) => a - b), Array.from({ length: EVENT_FORMAT_VERSION }, (_, i) => i + 1));
});

for (const { version, data } of fixtures) {
  for (const r of data.runs) {
    test(`a format ${version} log (${r.name}) folds through the upcaster to the views it was written with, and validates`, () => {
      const s = initialState(r.run_id);
      for (const e of r.events) {
        assert.equal(eventFormatOf(e.payload), version, `#${e.sequence} is format ${version}`);
        assert.deepEqual(runEventIssues(e.payload), [], `#${e.sequence}`);
        foldEvent(s, e.payload);
      }
      assert.deepEqual(JSON.parse(JSON.stringify(runView(s))), r.run);
      assert.deepEqual(JSON.parse(JSON.stringify(nodeRunViews(s))), r.node_runs);
    });
  }
}
