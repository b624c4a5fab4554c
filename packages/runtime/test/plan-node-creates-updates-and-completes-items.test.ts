import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateAgainst } from '@llmctl/contracts';
import { chart, specialHarness } from './support/special-harness.ts';

test('plan nodes create a plan from an items template, upsert items and complete one; outputs match the contract', async () => {
  const h = await specialHarness();
  try {
    const doc = chart(
      [
        { id: 'start', type: 'start' },
        { id: 'make', type: 'plan', config: { op: 'create_or_update', plan_key: 'launch', items: '{{input.steps}}' } },
        { id: 'more', type: 'plan', config: { op: 'create_or_update', plan_key: 'launch', items: [{ key: 'ship', title: 'Ship it', status: 'in_progress' }] } },
        { id: 'tick', type: 'plan', config: { op: 'complete_item', plan_key: 'launch', item_key: '{{input.done}}' } },
        { id: 'done', type: 'end' },
      ],
      ['start>make', 'make>more', 'more>tick', 'tick>done'],
    );
    const run = await h.wait(await h.run(doc, { steps: ['Write docs', 'Test'], done: 'write-docs' }));
    assert.equal(run.status, 'succeeded');
    for (const id of ['make', 'more', 'tick']) {
      const nr = run.node_runs.find((r) => r.node_id === id)!;
      assert.deepEqual(validateAgainst('plan-output', nr.output).errors, [], id);
    }
    assert.deepEqual(run.output, {
      plan_key: 'launch',
      items: [
        { key: 'write-docs', title: 'Write docs', status: 'completed' },
        { key: 'test', title: 'Test', status: 'pending' },
        { key: 'ship', title: 'Ship it', status: 'in_progress' },
      ],
      completed_item: { key: 'write-docs', title: 'Write docs', status: 'completed' },
    });
    const stored = await h.stores.plan.list({ flowchart_id: [...h.store.runs.values()][0]!.flowchart_id });
    assert.deepEqual(stored.map((p) => [p.plan_key, p.status, p.items.length]), [['launch', 'open', 3]]);
  } finally {
    await h.stop();
  }
});
