/**
 * Helpers for sub-flowchart tests that split a parent and its child over several orchestrators ("processes") on one
 * store: a child task gated on the test, an orchestrator with the flowchart handler, a wait for a terminal run.
 */
import assert from 'node:assert/strict';
import type { NodeExecution, NodeResult } from '../../src/index.ts';
import { InMemoryRunStore, Orchestrator, childRunId, endHandler, startHandler, subflowHandler } from '../../src/index.ts';
import { flow } from './harness.ts';

const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);

/** A child task that waits until the test releases it (a scripted model gated on state), then answers. */
export function gatedTask() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let calls = 0;
  let onCall: (() => void) | null = null;
  const handler = async (x: NodeExecution): Promise<NodeResult> => {
    calls += 1;
    onCall?.();
    await new Promise<void>((resolve, reject) => {
      void gate.then(resolve);
      x.signal.addEventListener('abort', () => reject(x.signal.reason), { once: true });
    });
    return { output: { answer: 42 } };
  };
  /** Resolves once the handler was called `n` times in all. */
  const called = (n: number): Promise<void> => new Promise((resolve) => {
    const check = (): void => {
      if (calls >= n) resolve();
    };
    onCall = check;
    check();
  });
  return { handler, release: () => release(), called };
}

/** An orchestrator ("process") named `name` on `store` whose task nodes run `task`. */
export function orchestrator(store: InMemoryRunStore, task: (x: NodeExecution) => Promise<NodeResult>, name: string): Orchestrator {
  let n = 0;
  const o: Orchestrator = new Orchestrator({
    store, newId: (p) => `${p}_${name}${++n}`, leaseTtlMs: 60_000, backoffMs: () => 1,
    handlers: { start: startHandler, end: endHandler, task, flowchart: subflowHandler(() => o) },
  });
  return o;
}

/** Resolves when the run is terminal in the store, checked on each event of `o`'s bus. */
export function terminal(o: Orchestrator, store: InMemoryRunStore, runId: string): Promise<string> {
  return new Promise((resolve) => {
    const check = (): void => {
      const s = store.runs.get(runId)?.status;
      if (s && TERMINAL.has(s)) {
        off();
        resolve(s);
      }
    };
    const off = o.bus.onEvent(() => check());
    check();
  });
}

/** `fc_child` (start → gated task t → end) and `fc_parent` (start → flowchart node f calling fc_child → end). */
export function putParentAndChild(store: InMemoryRunStore): void {
  store.putFlowchart('fc_child', flow([{ id: 's', type: 'start' }, { id: 't' }, { id: 'z', type: 'end', config: { output: '{{upstream.t}}' } }], ['s>t', 't>z']));
  store.putFlowchart('fc_parent', flow([{ id: 's', type: 'start' }, { id: 'f', type: 'flowchart', config: { flowchart_id: 'fc_child' } }, { id: 'z', type: 'end', config: { output: '{{upstream.f}}' } }], ['s>f', 'f>z']));
}

/**
 * Parent started in `a`; the child waits in its task (and, with `afterParentLogs`, the parent's log holds an event of
 * that kind). Then `a` stops (a crash) and the runs are split up.
 */
export async function splitParentAndChild(store: InMemoryRunStore, afterParentLogs?: string) {
  const first = gatedTask();
  const a = orchestrator(store, first.handler, 'a');
  putParentAndChild(store);
  let logged: Promise<void> = Promise.resolve();
  if (afterParentLogs) {
    logged = new Promise<void>((resolve) => {
      const off = a.bus.onEvent((e) => {
        if (e.payload.kind === afterParentLogs && (store.runs.get(e.run_id)?.parent_run_id ?? null) === null) {
          off();
          resolve();
        }
      });
    });
  }
  const parent = await a.startRun('fc_parent', { input: {} }, { request_id: null, correlation_id: null });
  await first.called(1);
  await logged;
  const flowNodeRun = [...store.nodeRuns.get(parent)!.values()].find((nr) => nr.node_id === 'f')!;
  const child = childRunId(flowNodeRun.idempotency_key);
  assert.equal(store.runs.get(child)?.status, 'running');
  await a.stop();
  return { parent, child };
}
