import assert from 'node:assert/strict';
import type { NodeRun, Run } from '@llmctl/contracts';
import type { RulesDriver } from './driver.ts';
import { doc } from './driver.ts';

/** One behaviour of runtime.md, runnable against any driver. */
export interface Scenario {
  name: string;
  run(d: RulesDriver): Promise<void>;
}

const echo = { name: 'm', responses: [{ output: { node: '{{node.id}}', iteration: '{{node.iteration}}', upstream: '{{upstream}}' } }] };
const obj = { type: 'object' };
/** Task node config on model m with a JSON output. */
const t = (id: string, extra: Record<string, unknown> = {}) => ({ id, config: { model: 'm', prompt: `node ${id}: {{upstream}}`, output_schema: obj }, ...extra });
const of = (run: Run, node: string): NodeRun[] => (run.node_runs ?? []).filter((r) => r.node_id === node);
const one = (run: Run, node: string): NodeRun => {
  const list = of(run, node);
  assert.equal(list.length, 1, `expected exactly one node run of ${node}, got ${list.length}`);
  return list[0]!;
};

export const scenarios: Scenario[] = [
  {
    name: 'start node output is the run input and the end node output is the run output',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc([{ id: 's', type: 'start' }, { id: 'z', type: 'end' }], ['s>z']), { ticket: 7 });
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.deepEqual(one(run, 's').output, { ticket: 7 });
      assert.deepEqual(run.output, { ticket: 7 });
    },
  },
  {
    name: 'a node with two incoming trigger connectors sees the upstream object as its triggering output',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), t('b'), { id: 'z', type: 'end' }], ['s>a', 's>b', 'a>z', 'b>z']), { x: 1 });
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.deepEqual(Object.keys(run.output as object).sort(), ['a', 'b']);
      assert.deepEqual(one(run, 'z').input_snapshot.upstream, run.output);
    },
  },
  {
    name: 'context connectors never trigger and snapshot the source output when the node starts',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), t('b'), t('c'), { id: 'z', type: 'end' }], ['s>a', 'a>b', 'b>z', { source: 'a', target: 'c', mode: 'context' }, { source: 'a', target: 'b', mode: 'context' }]));
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.equal(of(run, 'c').length, 0, 'context connector must not trigger c');
      assert.deepEqual(one(run, 'b').input_snapshot.context, { a: one(run, 'a').output });
    },
  },
  {
    name: 'an absent optional context source is left out of the context',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), t('x'), { id: 'z', type: 'end' }], ['s>a', 'a>z', 'x>z', { source: 'x', target: 'a', mode: 'context' }]));
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.deepEqual(one(run, 'a').input_snapshot.context, {});
    },
  },
  {
    name: 'a required context source without a node run fails the node with context_missing',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), t('x'), { id: 'z', type: 'end' }], ['s>a', 'a>z', 'x>z', { source: 'x', target: 'a', mode: 'context', required: true }]));
      const run = await d.wait(id);
      assert.equal(run.status, 'failed');
      assert.equal(one(run, 'a').status, 'failed');
      assert.equal(one(run, 'a').error?.code, 'context_missing');
      assert.equal(run.error?.code, 'context_missing');
      assert.equal(run.error?.details.node_id, 'a');
    },
  },
  {
    name: 'fan-in inclusive waits for every parallel branch',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), t('b'), t('c'), t('j'), { id: 'z', type: 'end' }], ['s>a', 's>b', 'b>c', 'a>j', 'c>j', 'j>z']));
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.deepEqual(Object.keys(one(run, 'j').input_snapshot.upstream).sort(), ['a', 'c']);
    },
  },
  {
    name: 'fan-in inclusive after a decision fires with the branch that was taken',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc(
        [{ id: 's', type: 'start' }, { id: 'd', type: 'decision' }, t('a'), t('b'), t('j'), { id: 'z', type: 'end' }],
        ['s>d', { source: 'd', target: 'a', condition: 'output.kind = "a"' }, { source: 'd', target: 'b', fallback: true }, 'a>j', 'b>j', 'j>z'],
      ), { kind: 'a' });
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.equal(of(run, 'b').length, 0);
      assert.deepEqual(Object.keys(one(run, 'j').input_snapshot.upstream), ['a']);
    },
  },
  {
    name: 'fan-in all fires once every connector holds a token',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), t('b'), t('c'), t('j', { fan_in: { policy: 'all' } }), { id: 'z', type: 'end' }], ['s>a', 's>b', 's>c', 'a>j', 'b>j', 'c>j', 'j>z']));
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.deepEqual(Object.keys(one(run, 'j').input_snapshot.upstream).sort(), ['a', 'b', 'c']);
    },
  },
  {
    name: 'fan-in all after an exclusive decision is starved and fails the run with fan_in_starved',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc(
        [{ id: 's', type: 'start' }, { id: 'd', type: 'decision' }, t('a'), t('b'), t('j', { fan_in: { policy: 'all' } }), { id: 'z', type: 'end' }],
        ['s>d', { source: 'd', target: 'a', condition: 'true' }, { source: 'd', target: 'b', fallback: true }, 'a>j', 'b>j', 'j>z'],
      ));
      const run = await d.wait(id);
      assert.equal(run.status, 'failed');
      assert.equal(run.error?.code, 'fan_in_starved');
      assert.equal(run.error?.details.node_id, 'j');
      assert.deepEqual(run.error?.details.connectors_without_tokens, ['e5']);
      assert.equal(of(run, 'j').length, 0);
    },
  },
  {
    name: 'fan-in any activates the node once per token',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), t('b'), t('j', { fan_in: { policy: 'any' } })], ['s>a', 's>b', 'a>j', 'b>j']));
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.deepEqual(of(run, 'j').map((r) => r.iteration), [1, 2]);
      assert.deepEqual(of(run, 'j').map((r) => Object.keys(r.input_snapshot.upstream).length), [1, 1]);
    },
  },
  {
    name: 'fan-in count N fires once with the N oldest tokens and discards stragglers with a warning',
    async run(d) {
      await d.model({ name: 'm', responses: [{ match: 'node c:', output: { late: true }, delay_ms: 150 }, ...echo.responses] });
      const id = await d.start(doc(
        [{ id: 's', type: 'start' }, t('a'), t('b'), t('c'), t('j', { fan_in: { policy: 'count', count: 2 } })],
        ['s>a', 's>b', 's>c', 'a>j', 'b>j', 'c>j'],
      ));
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.equal(of(run, 'j').length, 1);
      assert.deepEqual(Object.keys(one(run, 'j').input_snapshot.upstream).sort(), ['a', 'b']);
      assert.ok(run.warnings.some((w) => w.code === 'fan_in_tokens_discarded'));
    },
  },
  {
    name: 'fan-in count N whose round ends without N tokens fails with fan_in_starved',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc(
        [{ id: 's', type: 'start' }, { id: 'd', type: 'decision' }, t('a'), t('b'), t('j', { fan_in: { policy: 'count', count: 2 } })],
        ['s>d', { source: 'd', target: 'a', condition: 'true' }, { source: 'd', target: 'b', fallback: true }, 'a>j', 'b>j'],
      ));
      const run = await d.wait(id);
      assert.equal(run.status, 'failed');
      assert.equal(run.error?.code, 'fan_in_starved');
    },
  },
  {
    name: 'inclusive joins that only keep each other live fire oldest token first instead of waiting forever',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc(
        [{ id: 's', type: 'start' }, t('j1'), t('x'), t('j2'), t('y'), { id: 'z', type: 'end' }],
        ['s>j1', 's>j2', 'j1>x', 'x>j2', 'j2>y', { source: 'y', target: 'j1', condition: 'false' }, 'y>z'],
      ));
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.deepEqual(Object.keys(one(run, 'j1').input_snapshot.upstream), ['s']);
      assert.deepEqual(Object.keys(one(run, 'j2').input_snapshot.upstream).sort(), ['s', 'x']);
    },
  },
  {
    name: 'an end node ends the run, cancels the rest and lists leftover join tokens',
    async run(d) {
      await d.model({ name: 'm', responses: [{ match: 'node c:', output: {}, delay_ms: 60_000 }, ...echo.responses] });
      const id = await d.start(doc(
        [{ id: 's', type: 'start' }, t('a'), t('b'), t('c'), t('j', { fan_in: { policy: 'all' } }), { id: 'z', type: 'end' }, { id: 'z2', type: 'end' }],
        // b's token reaches j before a starts, so it is deterministic that j holds it when z ends the run.
        ['s>b', 'b>a', 'a>z', 'b>j', 's>c', 'c>j', 'j>z2'],
      ));
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.equal(one(run, 'c').status, 'canceled');
      assert.deepEqual(run.leftover_tokens.map((t) => [t.node_id, t.connector_id]), [['j', 'e4']]);
      assert.equal(run.leftover_tokens[0]!.source_node_run_id, one(run, 'b').id);
    },
  },
  {
    name: 'decision match first takes only the first true connector in document order',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc(
        [{ id: 's', type: 'start' }, { id: 'd', type: 'decision', config: { mode: 'deterministic', match: 'first' } }, t('a'), t('b')],
        ['s>d', { source: 'd', target: 'a', condition: 'true', route_key: 'ka' }, { source: 'd', target: 'b', condition: 'true', route_key: 'kb' }],
      ));
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      const dr = one(run, 'd');
      assert.deepEqual(dr.routing?.matched_connector_ids, ['e2']);
      assert.equal(dr.routing?.route_key, 'ka');
      assert.equal(dr.routing?.routing_state, 'matched');
      assert.equal(dr.routing?.evaluated.length, 2, 'every condition is evaluated before selection');
      assert.equal(of(run, 'b').length, 0);
    },
  },
  {
    name: 'decision match all takes every true connector',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc(
        [{ id: 's', type: 'start' }, { id: 'd', type: 'decision', config: { match: 'all' } }, t('a'), t('b'), t('c')],
        ['s>d', { source: 'd', target: 'a', condition: 'true', route_key: 'ka' }, { source: 'd', target: 'b', condition: 'false' }, { source: 'd', target: 'c', condition: 'input.go', route_key: 'kc' }],
      ), { go: true });
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.deepEqual(one(run, 'd').routing?.route_keys, ['ka', 'kc']);
      assert.equal(of(run, 'b').length, 0);
      assert.equal(of(run, 'c').length, 1);
    },
  },
  {
    name: 'decision without a match takes its fallback connector',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc(
        [{ id: 's', type: 'start' }, { id: 'd', type: 'decision' }, t('a'), t('b')],
        ['s>d', { source: 'd', target: 'a', condition: 'false' }, { source: 'd', target: 'b', fallback: true, route_key: 'other' }],
      ));
      const run = await d.wait(id);
      assert.equal(one(run, 'd').routing?.routing_state, 'fallback');
      assert.equal(one(run, 'd').routing?.route_key, 'other');
      assert.equal(of(run, 'b').length, 1);
    },
  },
  {
    name: 'decision without a match or fallback fails with decision_no_match',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc([{ id: 's', type: 'start' }, { id: 'd', type: 'decision' }, t('a')], ['s>d', { source: 'd', target: 'a', condition: 'false' }]));
      const run = await d.wait(id);
      assert.equal(run.status, 'failed');
      assert.equal(one(run, 'd').error?.code, 'decision_no_match');
      assert.equal(run.error?.code, 'decision_no_match');
    },
  },
  {
    name: 'a condition that returns a non-boolean fails the node run with route_invalid',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), t('b')], ['s>a', { source: 'a', target: 'b', condition: '"yes"' }]));
      const run = await d.wait(id);
      assert.equal(run.status, 'failed');
      assert.equal(one(run, 'a').error?.code, 'route_invalid');
      assert.equal(one(run, 'a').error?.details.connector_id, 'e2');
    },
  },
  {
    name: 'a condition that throws fails the run with route_invalid',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc([{ id: 's', type: 'start' }, { id: 'd', type: 'decision' }, t('a')], ['s>d', { source: 'd', target: 'a', condition: '$number("abc") + $undefinedFn()' }]));
      const run = await d.wait(id);
      assert.equal(run.status, 'failed');
      assert.equal(run.error?.code, 'route_invalid');
    },
  },
  {
    name: 'an llm_guided decision takes the connector whose route_key the model chose',
    async run(d) {
      await d.model({ name: 'router', responses: [{ match: 'Decision node d', output: { route_key: 'refund' } }] });
      await d.model(echo);
      const id = await d.start(doc(
        [{ id: 's', type: 'start' }, { id: 'd', type: 'decision', config: { mode: 'llm_guided', model: 'router' } }, t('a'), t('b')],
        ['s>d', { source: 'd', target: 'a', route_key: 'bug' }, { source: 'd', target: 'b', route_key: 'refund' }],
      ));
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.equal(one(run, 'd').routing?.route_key, 'refund');
      assert.equal(of(run, 'a').length, 0);
      assert.equal(of(run, 'b').length, 1);
    },
  },
  {
    name: 'an llm_guided decision whose model names an unknown key after repairs takes the fallback',
    async run(d) {
      await d.model({ name: 'router', responses: [{ match: 'Decision node d', output: { route_key: 'nope' } }] });
      await d.model(echo);
      const id = await d.start(doc(
        [{ id: 's', type: 'start' }, { id: 'd', type: 'decision', config: { mode: 'llm_guided', model: 'router' } }, t('a'), t('b')],
        ['s>d', { source: 'd', target: 'a', route_key: 'bug' }, { source: 'd', target: 'b', route_key: 'other', fallback: true }],
      ));
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.equal(one(run, 'd').routing?.routing_state, 'fallback');
      assert.equal(of(run, 'b').length, 1);
    },
  },
  {
    name: 'a decision passes its triggering output through as value',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc([{ id: 's', type: 'start' }, { id: 'd', type: 'decision' }, { id: 'z', type: 'end' }], ['s>d', { source: 'd', target: 'z', condition: 'output.n = 3' }]), { n: 3 });
      const run = await d.wait(id);
      assert.deepEqual((one(run, 'd').output as { value: unknown }).value, { n: 3 });
      assert.deepEqual(run.output, { n: 3 });
    },
  },
  {
    name: 'quiescence without an end node succeeds with the outputs of terminal and no_route nodes',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), t('b'), t('c')], ['s>a', 's>b', { source: 'b', target: 'c', condition: 'false' }]));
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.equal(one(run, 'b').routing?.routing_state, 'no_route');
      assert.deepEqual(Object.keys(run.output as object).sort(), ['a', 'b']);
    },
  },
  {
    name: 'a connector into start continues as a new run linked both ways',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), { id: 'z', type: 'end' }], ['s>a', { source: 'a', target: 's', condition: 'input.round < 1' }, { source: 'a', target: 'z', condition: 'input.round >= 1' }]), { round: 0 });
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.ok(run.continued_to);
      const next = await d.wait(run.continued_to!);
      assert.equal(next.continued_from, id);
      assert.deepEqual(next.input, run.output);
    },
  },
  {
    name: 'loops create a new node run per pass and conditions see node.iteration',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc(
        [{ id: 's', type: 'start' }, t('h'), t('b'), { id: 'z', type: 'end' }],
        ['s>h', 'h>b', { source: 'b', target: 'h', condition: 'node.iteration < 3' }, { source: 'b', target: 'z', condition: 'node.iteration >= 3' }],
      ));
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.deepEqual(of(run, 'b').map((r) => r.iteration), [1, 2, 3]);
      assert.deepEqual(of(run, 'h').map((r) => r.idempotency_key), [1, 2, 3].map((i) => `run:${id}:node:h:iter:${i}`));
    },
  },
  {
    name: 'max_node_executions stops the run with guardrail_max_node_executions',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('h'), t('b'), { id: 'z', type: 'end' }], ['s>h', 'h>b', 'b>h', { source: 'b', target: 'z', condition: 'node.iteration > 100' }], { max_node_executions: 6 }));
      const run = await d.wait(id);
      assert.equal(run.status, 'failed');
      assert.equal(run.error?.code, 'guardrail_max_node_executions');
      assert.equal(run.node_runs!.filter((r) => r.started_at !== null).length, 6);
    },
  },
  {
    name: 'max_parallel_nodes bounds how many node runs run at once',
    async run(d) {
      await d.model({ name: 'm', responses: [{ output: {}, delay_ms: 20 }] });
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), t('b'), t('c'), { id: 'z', type: 'end' }], ['s>a', 's>b', 's>c', 'a>z', 'b>z', 'c>z'], { max_parallel_nodes: 1 }));
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      const spans = ['a', 'b', 'c'].map((n) => one(run, n)).map((r) => [Date.parse(r.started_at!), Date.parse(r.finished_at!)] as const).sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < spans.length; i++) assert.ok(spans[i]![0] >= spans[i - 1]![1], 'node runs overlapped');
    },
  },
  {
    name: 'retryable errors are retried with backoff and the node run succeeds',
    async run(d) {
      await d.model({ name: 'm', responses: [{ output: { ok: true }, fail_times: 2, fail_code: 'provider_unavailable' }] });
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a', { retry: { max_attempts: 3, backoff_ms: 1 } }), { id: 'z', type: 'end' }], ['s>a', 'a>z']));
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      const a = one(run, 'a');
      assert.deepEqual(a.attempts.map((x) => x.error?.code ?? null), ['provider_unavailable', 'provider_unavailable', null]);
      assert.deepEqual(a.output, { ok: true });
    },
  },
  {
    name: 'non-retryable errors are not retried',
    async run(d) {
      await d.model({ name: 'm', responses: [{ match: 'nothing matches this', output: {} }] });
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a', { retry: { max_attempts: 3, backoff_ms: 1 } })], ['s>a']));
      const run = await d.wait(id);
      assert.equal(run.status, 'failed');
      assert.equal(one(run, 'a').attempts.length, 1);
      assert.equal(run.error?.code, 'scripted_no_response');
    },
  },
  {
    name: 'an attempt over timeout_s fails with node_timeout',
    async run(d) {
      await d.model({ name: 'm', responses: [{ output: {}, delay_ms: 60_000 }] });
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a', { timeout_s: 1 })], ['s>a']));
      const run = await d.wait(id);
      assert.equal(run.status, 'failed');
      assert.equal(one(run, 'a').error?.code, 'node_timeout');
      assert.equal(one(run, 'a').error?.retryable, true);
    },
  },
  {
    name: 'structured output that never validates fails with output_invalid after the repair attempts',
    async run(d) {
      await d.model({ name: 'm', responses: [{ output: 'not json at all' }] });
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a', { retry: { max_attempts: 3 } })], ['s>a']));
      const run = await d.wait(id);
      assert.equal(run.status, 'failed');
      assert.equal(one(run, 'a').error?.code, 'output_invalid');
      assert.equal(one(run, 'a').attempts.length, 1, 'output_invalid is not retryable');
      assert.equal((one(run, 'a').usage as { model_calls?: number } | null)?.model_calls ?? null, null);
    },
  },
  {
    name: 'a flowchart node runs a child run and finishes with its output',
    async run(d) {
      await d.model(echo);
      const child = await d.flowchart(doc([{ id: 's', type: 'start' }, { id: 'z', type: 'end', config: { output: { doubled: '{{input.n}}{{input.n}}' } } }], ['s>z']));
      const id = await d.start(doc([{ id: 's', type: 'start' }, { id: 'f', type: 'flowchart', config: { flowchart_id: child, input: { n: '{{input.n}}' } } }, { id: 'z', type: 'end' }], ['s>f', 'f>z']), { n: 4 });
      const run = await d.wait(id);
      assert.equal(run.status, 'succeeded');
      assert.deepEqual(run.output, { doubled: '44' });
    },
  },
  {
    name: 'a failing child run fails its flowchart node with subflow_failed',
    async run(d) {
      await d.model({ name: 'm', responses: [{ match: 'never', output: {} }] });
      const child = await d.flowchart(doc([{ id: 's', type: 'start' }, t('a')], ['s>a']));
      const id = await d.start(doc([{ id: 's', type: 'start' }, { id: 'f', type: 'flowchart', config: { flowchart_id: child } }], ['s>f']));
      const run = await d.wait(id);
      assert.equal(run.status, 'failed');
      assert.equal(run.error?.code, 'subflow_failed');
    },
  },
  {
    name: 'every logged event has a domain:entity:action type and sequences are gap-free',
    async run(d) {
      await d.model(echo);
      const id = await d.start(doc([{ id: 's', type: 'start' }, t('a'), t('b'), { id: 'z', type: 'end' }], ['s>a', 's>b', 'a>z', 'b>z']));
      await d.wait(id);
      const ev = await d.events(id);
      assert.deepEqual(ev.map((e) => e.sequence), ev.map((_, i) => i + 1));
      for (const e of ev) assert.match(e.event_type, /^[a-z_]+:[a-z_]+:[a-z_]+$/);
      assert.equal(ev[ev.length - 1]!.event_type, 'flowchart:run:updated');
    },
  },
];
