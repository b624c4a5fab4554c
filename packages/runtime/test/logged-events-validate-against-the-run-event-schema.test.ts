/**
 * The run log is a public contract (issue 18): every event the runtime appends carries the current event format
 * version and validates against the `run-event` JSON Schema of packages/contracts, for runs that exercise joins
 * (waits and discards), decisions, loops, retries, failures, rewinds, skips, pauses and cancels. The schema's kinds and
 * per-kind properties are checked against the engine's `EngineEvent` type at compile time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EVENT_FORMAT_VERSION, LlmctlError, RUN_EVENT_KIND_SCHEMAS, RUN_EVENT_KINDS, runEventIssues, upcastRunEvent, type RunEventKind } from '@llmctl/contracts';
import type { EngineEvent, EngineEventKind } from '@llmctl/engine';
import { subflowHandler, type NodeExecution } from '../src/index.ts';
import { flow, harness, nodeRuns } from './support/harness.ts';

// --- compile-time agreement of the schema with the engine's event type -------------------------------------------
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Of<K extends EngineEventKind> = Extract<EngineEvent, { kind: K }>;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type SchemaOf<K extends RunEventKind> = (typeof RUN_EVENT_KIND_SCHEMAS)[K];
/** Every kind's schema properties are the event's keys plus `v`; its required list is the event's required keys plus `v`. */
type Agrees<K extends EngineEventKind & RunEventKind> = Equal<keyof SchemaOf<K>['properties'], keyof Of<K> | 'v'> extends true
  ? Equal<SchemaOf<K>['required'][number], RequiredKeys<Of<K>> | 'v'>
  : false;
const sameKinds: Equal<EngineEventKind, RunEventKind> = true;
const agreement: { [K in EngineEventKind & RunEventKind]: Agrees<K> } = {
  'run.started': true, 'run.status': true, 'run.warning': true, 'run.control': true, 'run.rewound': true, 'node.queued': true,
  'node.started': true, 'node.attempt_started': true, 'node.attempt_failed': true, 'node.succeeded': true, 'node.failed': true,
  'node.skipped': true, 'node.requeued': true, 'node.canceled': true, 'token.enqueued': true, 'join.discarded': true,
  'subflow.child_started': true, 'subflow.child_finished': true,
};

test('the schema lists exactly the engine event kinds (also checked at compile time)', () => {
  assert.equal(sameKinds, true);
  assert.deepEqual(Object.keys(agreement).sort(), [...RUN_EVENT_KINDS].sort());
});

const meta = { request_id: null, correlation_id: null, actor: 'test' };

test('every event logged by real runs carries the current format version and validates against the run-event schema', async () => {
  let failOnce = 0;
  let releaseSlow: () => void = () => undefined;
  const slowGate = new Promise<void>((r) => (releaseSlow = r));
  const h = await harness({
    // c is released only once the count join has fired, so its token arrives after the round and is discarded.
    c: async (x: NodeExecution) => {
      await slowGate;
      return { output: x.triggering };
    },
    flaky: () => {
      failOnce += 1;
      if (failOnce === 1) throw new LlmctlError('provider_unavailable', 'flaky once', {}, true);
      return { output: { ok: true } };
    },
    broken: () => {
      throw new LlmctlError('output_invalid', 'never valid', {}, false);
    },
    hang: (x: NodeExecution) => new Promise((_, reject) => x.signal.addEventListener('abort', () => reject(x.signal.reason))),
  }, { flowchart: subflowHandler(() => h.orch) });
  h.orch.bus.onEvent((e) => {
    if (e.payload.kind === 'node.queued' && e.payload.node_id === 'j') releaseSlow();
  });
  try {
    const ids: string[] = [];
    const countJoin = await h.run(flow(
      [{ id: 's', type: 'start' }, { id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'j', fan_in: { policy: 'count', count: 2 } }, { id: 'z', type: 'end' }],
      ['s>a', 's>b', 's>c', 'a>j', 'b>j', 'c>j', 'j>z'],
    ));
    await h.wait(countJoin);
    ids.push(countJoin);
    const loop = await h.run(flow(
      [{ id: 's', type: 'start' }, { id: 'h' }, { id: 'b' }, { id: 'd', type: 'decision', config: { mode: 'deterministic', match: 'first' } } as never,
        { id: 'flaky', retry: { max_attempts: 3, backoff_ms: 1 } } as never, { id: 'z', type: 'end' }],
      ['s>h', 'h>b', { source: 'b', target: 'h', condition: 'node.iteration < 2' }, { source: 'b', target: 'd', condition: 'node.iteration >= 2' },
        { source: 'd', target: 'flaky', condition: 'true' }, { source: 'd', target: 'z', fallback: true }, 'flaky>z'],
    ));
    await h.wait(loop);
    const rewindTo = nodeRuns(h, loop).find((r) => r.node_id === 'b' && r.iteration === 2)!;
    await h.orch.control(loop, { action: 'rewind', node_run_id: rewindTo.id }, meta);
    await h.wait(loop);
    ids.push(loop);
    const failing = await h.run(flow([{ id: 's', type: 'start' }, { id: 'broken' }, { id: 'z', type: 'end' }], ['s>broken', 'broken>z']));
    await h.wait(failing);
    const failed = nodeRuns(h, failing).find((r) => r.node_id === 'broken')!;
    await h.orch.control(failing, { action: 'skip', node_run_id: failed.id, output: { skipped: true } }, meta);
    await h.wait(failing);
    ids.push(failing);
    const hanging = await h.run(flow([{ id: 's', type: 'start' }, { id: 'hang' }, { id: 'z', type: 'end' }], ['s>hang', 'hang>z']));
    await h.wait(hanging, ['running']);
    await new Promise<void>((resolve) => {
      const off = h.orch.bus.onEvent((e) => {
        if (e.run_id === hanging && e.payload.kind === 'node.attempt_started') { off(); resolve(); }
      });
      if (nodeRuns(h, hanging).some((r) => r.node_id === 'hang' && r.status === 'running')) { off(); resolve(); }
    });
    await h.orch.control(hanging, { action: 'pause', mode: 'now' }, meta);
    await h.wait(hanging, ['paused']);
    await h.orch.control(hanging, { action: 'resume' }, meta);
    await h.orch.control(hanging, { action: 'cancel' }, meta);
    await h.wait(hanging);
    ids.push(hanging);
    // a sub-flowchart: the parent logs its child's start and end
    h.store.putFlowchart('fc_child', flow([{ id: 's', type: 'start' }, { id: 'z', type: 'end' }], ['s>z']));
    const parent = await h.run(flow([{ id: 's', type: 'start' }, { id: 'f', type: 'flowchart', config: { flowchart_id: 'fc_child' } } as never, { id: 'z', type: 'end' }], ['s>f', 'f>z']));
    await h.wait(parent);
    ids.push(parent);

    const kinds = new Set<string>();
    for (const id of ids) {
      for (const e of await h.store.loadEvents(id, 0, 100_000)) {
        kinds.add(e.payload.kind);
        assert.equal((e.payload as { v?: number }).v, EVENT_FORMAT_VERSION, `${id} #${e.sequence} ${e.payload.kind} carries v`);
        assert.deepEqual(runEventIssues(e.payload), [], `${id} #${e.sequence} ${e.payload.kind}`);
      }
    }
    const missing = RUN_EVENT_KINDS.filter((k) => !kinds.has(k));
    assert.ok(missing.length <= 1 && missing.every((k) => k === 'run.warning'), `kinds not exercised: ${missing.join(', ')}`);
  } finally {
    await h.stop();
  }
});

test('every v1 event of the fixture validates once upcast', () => {
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/run-logs-v1.json', import.meta.url), 'utf8')) as { runs: { events: { sequence: number; payload: EngineEvent }[] }[] };
  for (const r of fixture.runs) {
    for (const e of r.events) {
      assert.equal((e.payload as { v?: number }).v, undefined, 'v1 events carry no version');
      assert.deepEqual(runEventIssues(e.payload), [], `#${e.sequence} ${e.payload.kind}`);
      assert.equal(upcastRunEvent<{ v: number }>(e.payload).v, EVENT_FORMAT_VERSION);
    }
  }
});

test('the schema rejects an event that lacks a field of its kind, or carries an unknown one', () => {
  const at = '2026-12-06T00:00:00.000Z';
  assert.deepEqual(runEventIssues({ kind: 'node.started', v: 2, at, node_id: 'a', node_run_id: 'nr_1' }).map((i) => i.message), ['/context is required']);
  assert.equal(runEventIssues({ kind: 'token.enqueued', v: 2, at, node_id: 'j', connector_id: 'e1', token: { connector_id: 'e1', source_node_id: 'a', source_node_run_id: 'nr_1', output: 1, seq: 3, order: 0 }, extra: 1 }).length, 1);
  assert.equal(runEventIssues({ kind: 'node.exploded', v: 2, at }).length, 1);
});
