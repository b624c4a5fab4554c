import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateAgainst } from '@llmctl/contracts';
import { chart, specialHarness } from './support/special-harness.ts';

function lookup(on_failure: string) {
  return chart(
    [
      { id: 'start', type: 'start' },
      { id: 'lookup', type: 'rag', config: { collection: 'missing-collection', query: 'anything', on_failure } },
      { id: 'done', type: 'end' },
    ],
    ['start>lookup', 'lookup>done'],
  );
}

test('on_failure fail: a failing tool fails the node run and the run with the tool error code', async () => {
  const h = await specialHarness();
  try {
    const run = await h.wait(await h.run(lookup('fail')));
    assert.equal(run.status, 'failed');
    assert.equal(run.error?.code, 'rag_collection_not_found');
    const nr = run.node_runs.find((r) => r.node_id === 'lookup')!;
    assert.equal(nr.status, 'failed');
    assert.equal(nr.error?.code, 'rag_collection_not_found');
    assert.match(String(nr.error?.details.idempotency_key), /:tool:0$/);
  } finally {
    await h.stop();
  }
});

test('on_failure fallback: the node succeeds with a warning, fallback_used, degraded_reason and a valid empty output', async () => {
  const h = await specialHarness();
  try {
    const run = await h.wait(await h.run(lookup('fallback')));
    assert.equal(run.status, 'succeeded');
    const nr = run.node_runs.find((r) => r.node_id === 'lookup')!;
    assert.equal(nr.outcome, 'success_with_warning');
    assert.equal(nr.fallback_used, true);
    assert.equal(nr.degraded_reason, 'rag_collection_not_found');
    assert.deepEqual(nr.warnings.map((w) => w.code), ['rag_collection_not_found']);
    assert.deepEqual(nr.output, { collection: 'missing-collection', query: 'anything', results: [] });
    assert.deepEqual(validateAgainst('rag-output', nr.output).errors, []);
  } finally {
    await h.stop();
  }
});

test('fallback outputs of memory, plan and milestone nodes match their contracts', async () => {
  const h = await specialHarness();
  try {
    const doc = chart(
      [
        { id: 'start', type: 'start' },
        { id: 'mem', type: 'memory', config: { op: 'retrieve', query: '', on_failure: 'fallback' } },
        { id: 'memadd', type: 'memory', config: { op: 'add', text: '', on_failure: 'fallback' } },
        { id: 'tick', type: 'plan', config: { op: 'complete_item', plan_key: 'none', item_key: 'x', on_failure: 'fallback' } },
        { id: 'ms', type: 'milestone', config: { milestone_key: 'm', title: '{{input.long}}', on_failure: 'fallback' } },
        { id: 'done', type: 'end' },
      ],
      ['start>mem', 'mem>memadd', 'memadd>tick', 'tick>ms', 'ms>done'],
    );
    const run = await h.wait(await h.run(doc, { long: 'x'.repeat(3000) }));
    assert.equal(run.status, 'succeeded');
    const by = (id: string) => run.node_runs.find((r) => r.node_id === id)!;
    assert.deepEqual([by('mem'), by('memadd'), by('tick'), by('ms')].map((r) => r.degraded_reason), ['tool_input_invalid', 'tool_input_invalid', 'plan_item_not_found', 'tool_input_invalid']);
    assert.deepEqual(validateAgainst('memory-output', by('mem').output).errors, []);
    assert.deepEqual(validateAgainst('memory-output', by('memadd').output).errors, []);
    assert.deepEqual(validateAgainst('plan-output', by('tick').output).errors, []);
    assert.deepEqual(validateAgainst('milestone-output', by('ms').output).errors, []);
    assert.equal((by('ms').output as { terminated: boolean }).terminated, false);
    assert.equal(h.counts.memory_add, 0);
  } finally {
    await h.stop();
  }
});

test('configuration errors fail the node even under fallback', async () => {
  const h = await specialHarness();
  try {
    const doc = chart(
      [{ id: 'start', type: 'start' }, { id: 'p', type: 'plan', config: { op: 'create_or_update', on_failure: 'fallback' } }, { id: 'done', type: 'end' }],
      ['start>p', 'p>done'],
    );
    const run = await h.wait(await h.run(doc));
    assert.equal(run.status, 'failed');
    assert.equal(run.error?.code, 'node_config_invalid');
  } finally {
    await h.stop();
  }
});
