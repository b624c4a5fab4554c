/**
 * `llmctl run` progress for a flowchart node: the shared projection folds the parent's `subflow.child_started` /
 * `subflow.child_finished` onto the node run, so the running line names the child run, then how it ended.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newRunFold } from '@llmctl/engine';
import { RunProgress } from '../src/commands/run.ts';

test('a flowchart node\'s progress names its child run when it starts and when it ends', () => {
  const at = '2026-12-06T08:00:00.000Z';
  const lines: string[] = [];
  const p = new RunProgress(newRunFold('run_p'), (l) => lines.push(l));
  const child = { node_id: 'sub', node_run_id: 'nr_sub', child_run_id: 'run_child', flowchart_id: 'fc_child', at, v: 2 };
  p.apply([
    { kind: 'run.started', input: {}, at, v: 2 },
    { kind: 'node.queued', node_id: 'sub', at, v: 2, node_run: { id: 'nr_sub', node_id: 'sub', node_type: 'flowchart', iteration: 1, tokens: [], idempotency_key: 'k', retry_of: null, rewound_from: null } },
    { kind: 'node.started', node_id: 'sub', node_run_id: 'nr_sub', context: {}, at, v: 2 },
    { kind: 'subflow.child_started', ...child },
    { kind: 'subflow.child_finished', ...child, status: 'succeeded', error: null },
  ]);
  assert.deepEqual(lines, ['  ▶ sub #1 running', '  ▶ sub #1 running, child run run_child started', '  ▶ sub #1 running, child run run_child succeeded']);
});
