import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateAgainst } from '@llmctl/contracts';
import { chart, specialHarness } from './support/special-harness.ts';

test('each artifact a special node persists is published as flowchart:node_artifact:persisted', async () => {
  const h = await specialHarness();
  try {
    const doc = chart(
      [
        { id: 'start', type: 'start' },
        { id: 'p', type: 'plan', config: { plan_key: 'launch', items: ['One'] } },
        { id: 'done', type: 'end' },
      ],
      ['start>p', 'p>done'],
    );
    const runId = await h.run(doc);
    const run = await h.wait(runId);
    const nr = run.node_runs.find((r) => r.node_id === 'p')!;
    const events = h.transient.filter((e) => e.event_type === 'flowchart:node_artifact:persisted');
    assert.equal(events.length, 1);
    const e = events[0]!;
    assert.equal(e.run_id, runId);
    assert.equal(e.correlation_id, 'corr-test');
    const payload = e.payload as { artifact: { id: string; kind: string; node_run_id: string }; node_id: string; idempotency_key: string };
    assert.deepEqual(validateAgainst('artifact', payload.artifact).errors, []);
    assert.equal(payload.artifact.kind, 'plan');
    assert.equal(payload.artifact.id, `${nr.idempotency_key}:tool:0:artifact:0`);
    assert.equal(payload.node_id, 'p');
    assert.match(payload.idempotency_key, /^artifact:/);
    assert.deepEqual((await h.artifacts.list({ run_id: runId })).map((a) => a.id), [payload.artifact.id]);
  } finally {
    await h.stop();
  }
});
