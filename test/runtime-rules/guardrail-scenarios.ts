import assert from 'node:assert/strict';
import type { Scenario } from './scenarios.ts';
import type { Run } from '@llmctl/contracts';
import type { RulesDriver } from './driver.ts';
import { doc } from './driver.ts';

const obj = { type: 'object' };

/** Values that cannot be stored and guardrails that bound work (issue 13: defects 3 and 8). */
/** Follows `continued_to` from `first`, waiting for each run to end; returns the chain's runs. */
async function chainOf(d: RulesDriver, first: string): Promise<Run[]> {
  const chain: Run[] = [];
  for (let id: string | null = first; id; ) {
    const run = await d.wait(id, ['succeeded', 'failed', 'canceled']);
    chain.push(run);
    id = run.continued_to;
    if (chain.length > 200) throw new Error('the chain did not stop');
  }
  return chain;
}

const loop = (condition: string, settings?: Record<string, number>) => doc(
  [{ id: 's', type: 'start' }, { id: 'a', config: { model: 'm', prompt: 'node a {{input.n}}', output_schema: obj } }, { id: 'z', type: 'end' }],
  [{ source: 's', target: 'a' }, { source: 'a', target: 's', condition }, { source: 'a', target: 'z', condition: `$not(${condition})` }],
  settings,
);

export const guardrailScenarios: Scenario[] = [
  {
    name: 'continue-as-new stops at max_continuations: node.iteration restarts in each run, the chain fails with guardrail_max_continuations',
    async run(d) {
      await d.model({ name: 'm', responses: [{ output: { n: 1 } }] });
      const first = await d.start(loop('node.iteration < 3', { max_continuations: 3 }), { n: 0 });
      const chain = await chainOf(d, first);
      assert.equal(chain.length, 4, 'three continue-as-new hops, then the guardrail');
      assert.deepEqual(chain.map((r) => r.continuation), [0, 1, 2, 3]);
      assert.deepEqual(chain.map((r) => r.status), ['succeeded', 'succeeded', 'succeeded', 'failed']);
      const last = chain[3]!;
      assert.equal(last.error?.code, 'guardrail_max_continuations');
      assert.equal(last.error?.details.limit, 3);
      assert.equal(last.continued_to, null);
      assert.deepEqual(chain.slice(1).map((r) => r.continued_from), chain.slice(0, -1).map((r) => r.id));
    },
  },
  {
    name: 'run.continuation counts the continue-as-new hops and can end a chain in a connector condition',
    async run(d) {
      await d.model({ name: 'm', responses: [{ output: { n: '{{input.n}}' } }] });
      const first = await d.start(loop('run.continuation < 2'), { n: 5 });
      const chain = await chainOf(d, first);
      assert.deepEqual(chain.map((r) => [r.continuation, r.status]), [[0, 'succeeded'], [1, 'succeeded'], [2, 'succeeded']]);
      assert.deepEqual(chain[2]!.output, { n: 5 });
    },
  },
  {
    name: 'cancel of any run of a continue-as-new chain cancels the chain (its live run)',
    async run(d) {
      await d.model({ name: 'm', responses: [{ output: { n: 1 }, delay_ms: 30 }] });
      const first = await d.start(loop('true'), { n: 0 });
      await d.until(first, (r) => r.continued_to !== null);
      const res = await d.control(first, { action: 'cancel', reason: 'stop the chain' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const chain = await chainOf(d, first);
      assert.equal(chain[chain.length - 1]!.status, 'canceled');
      assert.ok(chain.slice(0, -1).every((r) => r.status === 'succeeded'));
      assert.ok(chain.length < 50, `the chain went on for ${chain.length} runs after the cancel`);
    },
  },
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
