import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateAgainst } from '@llmctl/contracts';
import { chart, specialHarness } from './support/special-harness.ts';

function flow(terminate: string) {
  return chart(
    [
      { id: 'start', type: 'start' },
      { id: 'open', type: 'milestone', config: { op: 'create_or_update', milestone_key: 'beta', title: 'Beta for {{input.team}}', terminate } },
      { id: 'reach', type: 'milestone', config: { op: 'complete', milestone_key: 'beta', terminate } },
      { id: 'after', type: 'plan', config: { plan_key: 'later', items: ['never reached when terminating'] } },
      { id: 'done', type: 'end' },
    ],
    ['start>open', 'open>reach', 'reach>after', 'after>done'],
  );
}

test('terminate on_complete ends the run at the completing milestone with its output', async () => {
  const h = await specialHarness();
  try {
    const run = await h.wait(await h.run(flow('on_complete'), { team: 'core' }));
    assert.equal(run.status, 'succeeded');
    assert.deepEqual(run.output, { milestone_key: 'beta', title: 'Beta for core', status: 'completed', terminated: true });
    assert.deepEqual(validateAgainst('milestone-output', run.output).errors, []);
    const open = run.node_runs.find((r) => r.node_id === 'open')!;
    assert.deepEqual(open.output, { milestone_key: 'beta', title: 'Beta for core', status: 'open', terminated: false });
    assert.equal(run.node_runs.some((r) => r.node_id === 'after'), false);
  } finally {
    await h.stop();
  }
});

test('terminate always ends the run at the first milestone; never lets the run go on', async () => {
  const h = await specialHarness();
  try {
    const always = await h.wait(await h.run(flow('always'), { team: 'core' }));
    assert.deepEqual(always.node_runs.map((r) => r.node_id), ['start', 'open']);
    assert.equal((always.output as { terminated: boolean }).terminated, true);
    const never = await h.wait(await h.run(flow('never'), { team: 'core' }));
    assert.equal(never.status, 'succeeded');
    assert.deepEqual(never.node_runs.map((r) => r.node_id), ['start', 'open', 'reach', 'after', 'done']);
    assert.equal((never.node_runs.find((r) => r.node_id === 'reach')!.output as { terminated: boolean }).terminated, false);
  } finally {
    await h.stop();
  }
});
