import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeRunControls, runControls } from '../src/core/run-controls.ts';

test('pause is legal only from queued and running', () => {
  assert.equal(runControls('queued').pause, true);
  assert.equal(runControls('running').pause, true);
  for (const s of ['pausing', 'paused', 'canceling', 'succeeded', 'failed', 'canceled'] as const) assert.equal(runControls(s).pause, false, s);
});

test('resume is legal only from paused', () => {
  assert.equal(runControls('paused').resume, true);
  for (const s of ['queued', 'running', 'pausing', 'canceling', 'succeeded', 'failed', 'canceled'] as const) assert.equal(runControls(s).resume, false, s);
});

test('cancel is legal from active statuses except canceling', () => {
  for (const s of ['queued', 'running', 'pausing', 'paused'] as const) assert.equal(runControls(s).cancel, true, s);
  for (const s of ['canceling', 'succeeded', 'failed', 'canceled'] as const) assert.equal(runControls(s).cancel, false, s);
});

test('retry needs a failed or paused run and a failed node run without a retry', () => {
  const nr = { id: 'n1', status: 'failed' as const, started_at: 't' };
  assert.equal(nodeRunControls({ status: 'failed', continued_to: null }, nr).retry.ok, true);
  assert.equal(nodeRunControls({ status: 'paused', continued_to: null }, nr).retry.ok, true);
  assert.equal(nodeRunControls({ status: 'running', continued_to: null }, nr).retry.ok, false);
  assert.equal(nodeRunControls({ status: 'failed', continued_to: null }, { ...nr, status: 'succeeded' }).retry.ok, false);
  assert.equal(nodeRunControls({ status: 'failed', continued_to: null }, nr, [{ retry_of: 'n1' }]).retry.ok, false);
});

test('skip needs a running, paused or failed run and a failed or queued node run', () => {
  const run = { status: 'running' as const, continued_to: null };
  assert.equal(nodeRunControls(run, { id: 'n', status: 'queued', started_at: null }).skip.ok, true);
  assert.equal(nodeRunControls(run, { id: 'n', status: 'failed', started_at: 't' }).skip.ok, true);
  assert.equal(nodeRunControls(run, { id: 'n', status: 'running', started_at: 't' }).skip.ok, false);
  assert.equal(nodeRunControls({ status: 'succeeded', continued_to: null }, { id: 'n', status: 'failed', started_at: 't' }).skip.ok, false);
});

test('rewind needs a paused, failed, succeeded or canceled run and a started, non-superseded node run', () => {
  const nr = { id: 'n', status: 'succeeded' as const, started_at: 't' };
  for (const s of ['paused', 'failed', 'succeeded', 'canceled'] as const) assert.equal(nodeRunControls({ status: s, continued_to: null }, nr).rewind.ok, true, s);
  assert.equal(nodeRunControls({ status: 'running', continued_to: null }, nr).rewind.ok, false);
  assert.equal(nodeRunControls({ status: 'succeeded', continued_to: null }, { ...nr, status: 'superseded' }).rewind.ok, false);
  assert.equal(nodeRunControls({ status: 'succeeded', continued_to: null }, { ...nr, status: 'queued', started_at: null }).rewind.ok, false);
});

test('a run that continued as new cannot be rewound', () => {
  const v = nodeRunControls({ status: 'succeeded', continued_to: 'r2' }, { id: 'n', status: 'succeeded', started_at: 't' }).rewind;
  assert.equal(v.ok, false);
  assert.match(v.ok ? '' : v.reason, /continued/);
});
