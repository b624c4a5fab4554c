/**
 * The shared projection's `eventEffect` names every node run an event changes: the runtime rewrites only those rows
 * (batchWrites) and the studio rebuilds only those views per live batch, so a node run the fold changed but the
 * effect left out would stay stale. Checked after every event of the v1 fixture logs (joins, decisions, loops, retries,
 * rewinds) by comparing each node run's view before and after.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { foldRunEvent, newRunFold, nodeRunView } from '@llmctl/engine';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/run-logs-v1.json', import.meta.url), 'utf8')) as { runs: { name: string; run_id: string; events: { sequence: number; payload: { kind: string } }[] }[] };

test('every node run whose view an event changes is named by the event effect', () => {
  let checked = 0;
  for (const r of fixture.runs) {
    const fold = newRunFold(r.run_id);
    for (const e of r.events) {
      const before = new Map(Object.values(fold.state.node_runs).map((n) => [n.id, JSON.stringify(nodeRunView(n))]));
      const effect = foldRunEvent(fold, e.payload);
      for (const n of Object.values(fold.state.node_runs)) {
        if (before.get(n.id) !== JSON.stringify(nodeRunView(n))) {
          assert.ok(effect.node_run_ids.includes(n.id), `${r.name} #${e.sequence} ${e.payload.kind} changed ${n.id} without naming it`);
          checked += 1;
        }
      }
    }
  }
  assert.ok(checked > 50, `only ${checked} changes seen`);
});
