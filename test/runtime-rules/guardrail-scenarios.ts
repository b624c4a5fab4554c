import assert from 'node:assert/strict';
import type { Scenario } from './scenarios.ts';
import { doc } from './driver.ts';

const obj = { type: 'object' };

/** Values that cannot be stored and guardrails that bound work (issue 13: defects 3 and 8). */
export const guardrailScenarios: Scenario[] = [
  {
    name: 'a model answer holding a NUL or a lone surrogate fails the node once with output_unstorable (no re-run)',
    async run(d) {
      // The answers are JSON text whose escapes decode to U+0000 / an unpaired U+D800 once parsed.
      for (const bad of ['{"text":"x\\u0000y"}', '{"text":"x\\ud800y"}']) {
        await d.model({ name: 'm', responses: [{ match: 'node a', output: bad }, { output: { ok: true } }] });
        const id = await d.start(doc([{ id: 's', type: 'start' }, { id: 'a', config: { model: 'm', prompt: 'node a', output_schema: obj }, retry: { max_attempts: 3, backoff_ms: 1 } }, { id: 'z', type: 'end' }], ['s>a', 'a>z']));
        const run = await d.wait(id, ['succeeded', 'failed', 'canceled']);
        assert.equal(run.status, 'failed', `run with ${bad} ended ${run.status}`);
        assert.equal(run.error?.code, 'output_unstorable');
        const a = run.node_runs!.filter((x) => x.node_id === 'a');
        assert.equal(a.length, 1);
        assert.equal(a[0]!.status, 'failed');
        assert.equal(a[0]!.error?.code, 'output_unstorable');
        assert.equal(a[0]!.error?.retryable, false);
        assert.equal(a[0]!.attempts.length, 1, 'a non-retryable failure is attempted once');
        if (d.modelCalls) assert.equal(await d.modelCalls(id), 1, 'the model was called more often than the retry policy allows');
        const ev = await d.events(id);
        assert.deepEqual(ev.map((e) => e.sequence), ev.map((_, i) => i + 1));
      }
    },
  },
];
