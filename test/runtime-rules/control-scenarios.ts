import assert from 'node:assert/strict';
import type { NodeRun, Run } from '@llmctl/contracts';
import { doc } from './driver.ts';
import type { Scenario } from './scenarios.ts';

const obj = { type: 'object' };
const t = (id: string, extra: Record<string, unknown> = {}) => ({ id, config: { model: 'm', prompt: `node ${id}: {{upstream}}`, output_schema: obj }, ...extra });
const of = (run: Run, node: string): NodeRun[] => (run.node_runs ?? []).filter((r) => r.node_id === node);
const running = (node: string) => (r: Run) => of(r, node).some((x) => x.status === 'running');
const quick = { output: { ok: '{{node.id}}' } };

/** Run control (runtime.md "Run control" and the run state machine), runnable against any driver. */
export const controlScenarios: Scenario[] = [
  {
    name: 'pause now interrupts running node runs, and resume runs them again to success',
    async run(d) {
      await d.model({ name: 'm', responses: [{ match: 'node a:', output: {}, delay_ms: 60_000 }, quick] });
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), { id: 'z', type: 'end' }], ['s>a', 'a>z']));
      await d.until(id, running('a'));
      const p = await d.control(id, { action: 'pause', mode: 'now', reason: 'maintenance' });
      assert.equal(p.status, 200);
      assert.equal(p.body.data.run.status, 'paused');
      const paused = await d.get(id);
      assert.equal(of(paused, 'a')[0]!.status, 'queued');
      assert.equal(of(paused, 'a')[0]!.attempts[0]!.error?.code, 'interrupted');
      await d.model({ name: 'm', responses: [quick] });
      const r = await d.control(id, { action: 'resume' });
      assert.equal(r.status, 200);
      const done = await d.wait(id, ['succeeded', 'failed']);
      assert.equal(done.status, 'succeeded');
      assert.equal(of(done, 'a').length, 1, 'the same node run continues');
      const events = await d.events(id);
      const ctl = events.filter((e) => e.event_type === 'flowchart:run:control').map((e) => [e.payload.action, e.payload.reason]);
      assert.deepEqual(ctl, [['pause', 'maintenance'], ['resume', null]]);
    },
  },
  {
    name: 'a graceful pause lets the running node run finish and dispatches nothing new',
    async run(d) {
      await d.model({ name: 'm', responses: [{ match: 'node a:', output: { a: 1 }, delay_ms: 1000 }, quick] });
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), t('b'), { id: 'z', type: 'end' }], ['s>a', 'a>b', 'b>z']));
      await d.until(id, running('a'));
      const p = await d.control(id, { action: 'pause' });
      assert.equal(p.body.data.run.status, 'pausing');
      const paused = await d.wait(id, ['paused']);
      assert.equal(of(paused, 'a')[0]!.status, 'succeeded');
      assert.deepEqual(of(paused, 'b').map((x) => x.status), ['queued']);
      await d.control(id, { action: 'resume' });
      assert.equal((await d.wait(id, ['succeeded', 'failed'])).status, 'succeeded');
    },
  },
  {
    name: 'cancel aborts a slow model call and cancels the run',
    async run(d) {
      await d.model({ name: 'm', responses: [{ match: 'node a:', output: {}, delay_ms: 60_000 }, quick] });
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), t('b'), { id: 'z', type: 'end' }], ['s>a', 's>b', 'a>z', 'b>z'], { max_parallel_nodes: 1 }));
      await d.until(id, running('a'));
      const c = await d.control(id, { action: 'cancel', reason: 'not needed' });
      assert.equal(c.status, 200);
      assert.equal(c.body.data.run.status, 'canceled');
      const run = await d.get(id);
      assert.equal(of(run, 'a')[0]!.status, 'canceled');
      assert.equal(of(run, 'a')[0]!.output, null);
      assert.ok(of(run, 'b').every((x) => x.status === 'canceled'));
    },
  },
  {
    name: 'retry of a failed branch continues the run and does not run the succeeded sibling again',
    async run(d) {
      await d.model({ name: 'm', responses: [{ match: 'node a:', output: { fixed: true }, delay_ms: 200, fail_times: 1 }, quick] });
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), t('b'), { id: 'z', type: 'end' }], ['s>a', 's>b', 'a>z', 'b>z']));
      const failed = await d.wait(id);
      assert.equal(failed.status, 'failed');
      const fa = of(failed, 'a')[0]!;
      const r = await d.control(id, { action: 'retry', node_run_id: fa.id });
      assert.equal(r.status, 200);
      const run = await d.wait(id, ['succeeded', 'failed']);
      assert.equal(run.status, 'succeeded');
      assert.equal(of(run, 'b').length, 1, 'sibling ran once');
      const [first, retry] = of(run, 'a');
      assert.equal(retry!.retry_of, first!.id);
      assert.equal(retry!.iteration, first!.iteration);
      assert.equal(retry!.idempotency_key, first!.idempotency_key);
      assert.deepEqual(Object.keys(of(run, 'z')[0]!.input_snapshot.upstream).sort(), ['a', 'b']);
    },
  },
  {
    name: 'a node run that already has a retry cannot be retried again',
    async run(d) {
      await d.model({ name: 'm', responses: [{ match: 'node a:', output: {}, fail_times: 5 }, quick] });
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a')], ['s>a']));
      const failed = await d.wait(id);
      const fa = of(failed, 'a')[0]!;
      assert.equal((await d.control(id, { action: 'retry', node_run_id: fa.id })).status, 200);
      await d.wait(id, ['failed']);
      const again = await d.control(id, { action: 'retry', node_run_id: fa.id });
      assert.equal(again.status, 409);
      assert.equal(again.body.error?.code, 'conflict');
    },
  },
  {
    name: 'skip of a failed node feeding an all join routes its output and the join fires',
    async run(d) {
      await d.model({ name: 'm', responses: [{ match: 'node a:', output: {}, delay_ms: 100, fail_times: 9 }, quick] });
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), t('b'), t('j', { fan_in: { policy: 'all' } }), { id: 'z', type: 'end' }], ['s>a', 's>b', 'a>j', 'b>j', 'j>z']));
      const failed = await d.wait(id);
      assert.equal(failed.status, 'failed');
      const fa = of(failed, 'a')[0]!;
      const r = await d.control(id, { action: 'skip', node_run_id: fa.id, output: { skipped: true } });
      assert.equal(r.status, 200);
      const run = await d.wait(id, ['succeeded', 'failed']);
      assert.equal(run.status, 'succeeded');
      assert.equal(of(run, 'a')[0]!.status, 'skipped');
      assert.deepEqual(of(run, 'j')[0]!.input_snapshot.upstream.a, { skipped: true });
    },
  },
  {
    name: 'rewind into the middle of a loop supersedes later node runs and runs again from there',
    async run(d) {
      await d.model({ name: 'm', responses: [quick] });
      const id = await d.start(doc(
        [{ id: 's', type: 'start' }, t('h'), t('b'), { id: 'z', type: 'end' }],
        ['s>h', 'h>b', { source: 'b', target: 'h', condition: 'node.iteration < 3' }, { source: 'b', target: 'z', condition: 'node.iteration >= 3' }],
      ));
      const first = await d.wait(id);
      assert.equal(first.status, 'succeeded');
      const b2 = of(first, 'b').find((x) => x.iteration === 2)!;
      const r = await d.control(id, { action: 'rewind', node_run_id: b2.id });
      assert.equal(r.status, 200);
      const superseded: string[] = r.body.data.superseded_node_run_ids;
      const label = (x: NodeRun) => `${x.node_id}${x.iteration}`;
      assert.deepEqual(first.node_runs!.filter((x) => superseded.includes(x.id)).map(label).sort(), ['b2', 'b3', 'h3', 'z1']);
      const run = await d.wait(id, ['succeeded', 'failed']);
      assert.equal(run.status, 'succeeded');
      const again = of(run, 'b').filter((x) => x.status !== 'superseded');
      assert.deepEqual(again.map((x) => x.iteration), [1, 2, 3]);
      const rewound = again.find((x) => x.rewound_from === b2.id)!;
      assert.equal(rewound.idempotency_key, `run:${id}:node:b:iter:2:rev:1`);
      assert.equal(of(run, 'z').filter((x) => x.status === 'succeeded').length, 1);
    },
  },
  {
    name: 'rewind with input_override on the start node replaces the run input',
    async run(d) {
      await d.model({ name: 'm', responses: [quick] });
      const id = await d.start(doc([{ id: 's', type: 'start' }, { id: 'z', type: 'end' }], ['s>z']), { v: 1 });
      const first = await d.wait(id);
      const r = await d.control(id, { action: 'rewind', node_run_id: of(first, 's')[0]!.id, input_override: { v: 2 } });
      assert.equal(r.status, 200);
      const run = await d.wait(id, ['succeeded', 'failed']);
      assert.deepEqual(run.output, { v: 2 });
      assert.deepEqual(run.input, { v: 2 });
    },
  },
  {
    name: 'control actions from statuses that do not allow them are 409 invalid_transition with the current status',
    async run(d) {
      await d.model({ name: 'm', responses: [quick] });
      const id = await d.start(doc([{ id: 's', type: 'start' }, { id: 'z', type: 'end' }], ['s>z']));
      await d.wait(id);
      for (const action of ['pause', 'resume', 'cancel', 'retry', 'skip'] as const) {
        const r = await d.control(id, { action });
        assert.equal(r.status, 409, action);
        assert.equal(r.body.error?.code, 'invalid_transition', action);
        assert.equal(r.body.error?.details.status, 'succeeded', action);
      }
    },
  },
  {
    name: 'skip of a node run that is not failed or queued is 409 conflict',
    async run(d) {
      await d.model({ name: 'm', responses: [{ match: 'node b:', output: {}, fail_times: 9 }, quick] });
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), t('b')], ['s>a', 'a>b']));
      const run = await d.wait(id);
      assert.equal(run.status, 'failed');
      const r = await d.control(id, { action: 'skip', node_run_id: of(run, 'a')[0]!.id });
      assert.equal(r.status, 409);
      assert.equal(r.body.error?.code, 'conflict');
    },
  },
];

/** Regressions found in review (engine and API). */
export const controlRegressionScenarios: Scenario[] = [
  {
    name: 'a refused skip leaves the run consistent and it can still be controlled',
    async run(d) {
      await d.model({ name: 'm', responses: [{ match: 'node a:', output: {}, delay_ms: 60_000 }, quick] });
      const id = await d.start(doc(
        [{ id: 's', type: 'start' }, t('a'), { id: 'd', type: 'decision' }, t('b')],
        ['s>a', 'a>d', { source: 'd', target: 'b', condition: '$undefinedFunction()' }],
      ));
      await d.until(id, running('a'));
      const c = await d.control(id, { action: 'pause', mode: 'now' });
      assert.equal(c.body.data.run.status, 'paused');
      const paused = await d.get(id);
      const a = of(paused, 'a')[0]!;
      // a is queued (interrupted); skipping it routes into d fine. Skipping must not corrupt anything either way.
      const r = await d.control(id, { action: 'skip', node_run_id: a.id, output: { x: 1 } });
      assert.equal(r.status, 200);
      const run = await d.wait(id, ['failed', 'succeeded']);
      assert.equal(run.status, 'failed');
      assert.equal(run.error?.code, 'route_invalid');
      const dRun = of(run, 'd')[0]!;
      const refused = await d.control(id, { action: 'skip', node_run_id: dRun.id, output: { y: 2 } });
      assert.equal(refused.status, 409, 'skipping d cannot route: its condition throws');
      const cancel = await d.control(id, { action: 'rewind', node_run_id: of(run, 's')[0]!.id });
      assert.equal(cancel.status, 200, 'the run is still controllable after the refused skip');
      const events = await d.events(id);
      assert.deepEqual(events.map((e) => e.sequence), events.map((_, i) => i + 1));
      assert.ok(!events.some((e) => e.payload.kind === 'run.control' && e.payload.action === 'skip' && e.payload.params?.node_run_id === dRun.id), 'the refused skip is not logged');
    },
  },
];
