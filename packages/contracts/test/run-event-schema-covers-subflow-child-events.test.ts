/**
 * The run-event schema's sub-flowchart kinds (`subflow.child_started`, `subflow.child_finished`): a parent's log
 * records its flowchart node run's child. Additive kinds of event format 2 (no existing event changed shape, so `v`
 * stays 2 and the upcaster has no step for them); the node run's `child_run` view matches `ChildRunRef`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_FORMAT_VERSION, RUN_EVENT_KINDS, SCHEMAS, runEventIssues, upcastRunEvent, validateAgainst, type ChildRunRef, type NodeRun } from '../src/index.ts';
import { nodeRun } from './samples.ts';

const at = '2026-12-06T08:00:00.000Z';
const base = { v: EVENT_FORMAT_VERSION, at, node_id: 'f', node_run_id: 'nr_1', child_run_id: 'run_child', flowchart_id: 'fc_child' };
const started = { kind: 'subflow.child_started', ...base };
const finished = { kind: 'subflow.child_finished', ...base, status: 'failed', error: { code: 'output_invalid', message: 'bad', details: {}, retryable: false } };

test('both kinds are run-event kinds of the current format, and the format is still 2', () => {
  assert.ok(RUN_EVENT_KINDS.includes('subflow.child_started'));
  assert.ok(RUN_EVENT_KINDS.includes('subflow.child_finished'));
  assert.equal(EVENT_FORMAT_VERSION, 2);
});

test('a child\'s start and end validate; a finished child without an error has error null', () => {
  assert.deepEqual(runEventIssues(started), []);
  assert.deepEqual(runEventIssues(finished), []);
  assert.deepEqual(runEventIssues({ ...finished, status: 'succeeded', error: null }), []);
});

test('a child\'s end needs a terminal status, its error (or null) and the child run id', () => {
  assert.deepEqual(runEventIssues({ ...finished, status: 'running' }).map((i) => i.path), ['/status']);
  const { error: _e, ...noError } = finished;
  assert.deepEqual(runEventIssues(noError).map((i) => i.message), ['/error is required']);
  const { child_run_id: _c, ...noChild } = started;
  assert.deepEqual(runEventIssues(noChild).map((i) => i.message), ['/child_run_id is required']);
  assert.equal(runEventIssues({ ...started, output: { big: true } }).length, 1, 'the child\'s output is not copied into the parent\'s log');
});

test('the kinds pass the upcaster unchanged (no format step touches them)', () => {
  assert.equal(upcastRunEvent(finished), finished);
});

test('a node run with a child validates, and the child_run schema matches ChildRunRef', () => {
  const child: ChildRunRef = { id: 'run_child', flowchart_id: 'fc_child', status: 'succeeded', error: null, started_at: at, finished_at: at };
  const withChild = { ...nodeRun, node_type: 'flowchart', child_run: child } satisfies NodeRun;
  assert.deepEqual(validateAgainst('node-run', withChild), { valid: true, errors: [] });
  assert.equal(validateAgainst('node-run', { ...withChild, child_run: { ...child, status: 'running' } }).valid, false);
  const k = { id: true, flowchart_id: true, status: true, error: true, started_at: true, finished_at: true } satisfies Record<keyof ChildRunRef, true>;
  const schema = (SCHEMAS['node-run'] as { properties: { child_run: { properties: object; required: string[] } } }).properties.child_run;
  assert.deepEqual(Object.keys(schema.properties).sort(), Object.keys(k).sort());
  assert.deepEqual([...schema.required].sort(), Object.keys(k).sort());
});
