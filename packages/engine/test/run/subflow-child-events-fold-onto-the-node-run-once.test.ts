/**
 * A `flowchart` node run's child, as the parent's log records it (issue 18: "a child run's completion is an event in
 * the parent's log"): `subflow.child_started` and `subflow.child_finished` fold onto the node run's `child_run` in the
 * shared projection, and the decisions that emit them leave out what the log already holds, so a node run executed
 * again (takeover, requeue) that observes the same child logs nothing new.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEventIssues, stampEventFormat } from '@llmctl/contracts';
import { applyEvent } from '../../src/run/apply-event.ts';
import type { EngineEvent } from '../../src/run/events.ts';
import { subflow } from '../../src/run/subflow.ts';
import { initialState, type EngineState } from '../../src/run/state.ts';
import { foldRunEvent, newRunFold, eventEffect } from '../../src/projection/fold.ts';
import { nodeRunViews } from '../../src/projection/views.ts';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:05.000Z';
const T2 = '2026-01-01T00:00:09.000Z';
const child = { child_run_id: 'run_child', flowchart_id: 'fc_child' };
const failure = { code: 'output_invalid', message: 'never valid', details: {}, retryable: false };

/** A parent whose flowchart node run `nr_f` is running. */
function parentWithRunningFlowchartNode(): EngineState {
  const s = initialState('run_parent');
  const events: EngineEvent[] = [
    { kind: 'run.started', input: {}, at: T0 },
    {
      kind: 'node.queued', node_id: 'f', at: T0,
      node_run: { id: 'nr_f', node_id: 'f', node_type: 'flowchart', iteration: 1, tokens: [], idempotency_key: 'run:run_parent:node:f:iter:1', retry_of: null, rewound_from: null },
    },
    { kind: 'node.started', node_id: 'f', node_run_id: 'nr_f', context: {}, at: T0 },
  ];
  for (const e of events) applyEvent(s, e);
  return s;
}

test('the child\'s start and end fold onto the node run view: its run id, flowchart and final status', () => {
  const s = parentWithRunningFlowchartNode();
  const started = subflow.childStarted(s, 'nr_f', child, T1);
  assert.deepEqual(started.map((e) => e.kind), ['subflow.child_started']);
  assert.deepEqual(s.node_runs.nr_f!.child_run, { id: 'run_child', flowchart_id: 'fc_child', status: 'started', error: null, started_at: T1, finished_at: null });
  const finished = subflow.childFinished(s, 'nr_f', { ...child, status: 'failed', error: failure }, T2);
  assert.deepEqual(finished.map((e) => e.kind), ['subflow.child_finished']);
  const view = nodeRunViews(s).find((n) => n.id === 'nr_f')!;
  assert.deepEqual(view.child_run, { id: 'run_child', flowchart_id: 'fc_child', status: 'failed', error: failure, started_at: T1, finished_at: T2 });
  // the node run itself is still running: only its own outcome ends it
  assert.equal(view.status, 'running');
  for (const e of [...started, ...finished]) assert.deepEqual(runEventIssues(stampEventFormat(e)), [], e.kind);
});

test('observing the same child again logs nothing: a re-executed node run adds neither event twice', () => {
  const s = parentWithRunningFlowchartNode();
  subflow.childStarted(s, 'nr_f', child, T1);
  assert.deepEqual(subflow.childStarted(s, 'nr_f', child, T2), []);
  subflow.childFinished(s, 'nr_f', { ...child, status: 'succeeded', error: null }, T2);
  const seq = s.seq;
  assert.deepEqual(subflow.childStarted(s, 'nr_f', child, T2), []);
  assert.deepEqual(subflow.childFinished(s, 'nr_f', { ...child, status: 'succeeded', error: null }, T2), []);
  assert.equal(s.seq, seq, 'nothing was folded');
});

test('a child whose start the log lacks (started by an older release) gets its start logged before its end', () => {
  const s = parentWithRunningFlowchartNode();
  const events = subflow.childFinished(s, 'nr_f', { ...child, status: 'succeeded', error: null }, T2);
  assert.deepEqual(events.map((e) => e.kind), ['subflow.child_started', 'subflow.child_finished']);
  assert.equal(s.node_runs.nr_f!.child_run!.status, 'succeeded');
});

test('a node run that is no longer running records nothing of its child', () => {
  const s = parentWithRunningFlowchartNode();
  applyEvent(s, { kind: 'node.canceled', node_id: 'f', node_run_id: 'nr_f', reason: 'run_ended', at: T1 });
  assert.deepEqual(subflow.childStarted(s, 'nr_f', child, T2), []);
  assert.deepEqual(subflow.childFinished(s, 'nr_f', { ...child, status: 'canceled', error: null }, T2), []);
  assert.equal(s.node_runs.nr_f!.child_run, undefined);
});

test('a reader\'s fold of the logged events (v-stamped) marks the node run touched and shows the child', () => {
  const s = parentWithRunningFlowchartNode();
  const logged = [...subflow.childStarted(s, 'nr_f', child, T1), ...subflow.childFinished(s, 'nr_f', { ...child, status: 'succeeded', error: null }, T2)];
  const f = newRunFold('run_parent');
  const prefix: EngineEvent[] = [
    { kind: 'run.started', input: {}, at: T0 },
    { kind: 'node.queued', node_id: 'f', at: T0, node_run: { id: 'nr_f', node_id: 'f', node_type: 'flowchart', iteration: 1, tokens: [], idempotency_key: 'k', retry_of: null, rewound_from: null } },
    { kind: 'node.started', node_id: 'f', node_run_id: 'nr_f', context: {}, at: T0 },
  ];
  for (const e of prefix) foldRunEvent(f, stampEventFormat(e));
  for (const e of logged) assert.deepEqual(foldRunEvent(f, stampEventFormat(e)).node_run_ids, ['nr_f']);
  assert.deepEqual(eventEffect(logged[1]!).output, [], 'the node run\'s output is its own outcome\'s, not the child event\'s');
  assert.deepEqual(nodeRunViews(f.state)[0]!.child_run, { id: 'run_child', flowchart_id: 'fc_child', status: 'succeeded', error: null, started_at: T1, finished_at: T2 });
});

test('node runs without a child show no child_run field (views of logs without these events are unchanged)', () => {
  const s = parentWithRunningFlowchartNode();
  assert.equal('child_run' in nodeRunViews(s)[0]!, false);
});
