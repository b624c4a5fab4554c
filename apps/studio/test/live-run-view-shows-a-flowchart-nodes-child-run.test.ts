/**
 * A `flowchart` node run's child in the studio's live run view: the parent's log events `subflow.child_started` /
 * `subflow.child_finished` fold (engine's shared projection) onto the node run's `child_run`, which the merged run
 * keeps over the server's row (the row does not hold it), so the node-run panel can link to the child and show how
 * it ended.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Run } from '@llmctl/contracts';
import { foldLogged, liveRunView, mergeLiveRun, newLiveFold } from '../src/core/live-run.ts';

const at = (s: number) => `2026-12-06T08:00:0${s}.000Z`;
const log = [
  { kind: 'run.started', input: {}, at: at(0), v: 2 },
  { kind: 'node.queued', node_id: 'sub', at: at(0), v: 2, node_run: { id: 'nr_sub', node_id: 'sub', node_type: 'flowchart', iteration: 1, tokens: [], idempotency_key: 'k', retry_of: null, rewound_from: null } },
  { kind: 'node.started', node_id: 'sub', node_run_id: 'nr_sub', context: {}, at: at(1), v: 2 },
  { kind: 'subflow.child_started', node_id: 'sub', node_run_id: 'nr_sub', child_run_id: 'run_child', flowchart_id: 'fc_child', at: at(2), v: 2 },
  {
    kind: 'subflow.child_finished', node_id: 'sub', node_run_id: 'nr_sub', child_run_id: 'run_child', flowchart_id: 'fc_child', status: 'canceled',
    error: { code: 'canceled', message: 'canceled by a user', details: {}, retryable: false }, at: at(3), v: 2,
  },
];

test('the live view shows the child run started, then how it ended, and the merged run keeps it', () => {
  const fold = newLiveFold('run_parent');
  foldLogged(fold, log.slice(0, 4));
  const startedView = liveRunView(fold);
  assert.deepEqual(startedView.node_runs[0]!.child_run, { id: 'run_child', flowchart_id: 'fc_child', status: 'started', error: null, started_at: at(2), finished_at: null });
  const touched = foldLogged(fold, log.slice(4));
  assert.deepEqual([...touched], ['nr_sub']);
  const v = liveRunView(fold, startedView, touched);
  assert.equal(v.node_runs[0]!.child_run!.status, 'canceled');
  assert.equal(v.node_runs[0]!.child_run!.error!.code, 'canceled');
  const server = { id: 'run_parent', status: 'running', node_runs: [{ id: 'nr_sub', node_id: 'sub', attempts: [] }] } as unknown as Run;
  const merged = mergeLiveRun(server, v);
  assert.equal(merged.node_runs![0]!.child_run!.id, 'run_child');
});
