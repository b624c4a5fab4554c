import assert from 'node:assert/strict';
import type { Run } from '@llmctl/contracts';
import { callApi } from './child-server.ts';

/**
 * Flowcharts and checks shared by the durability tests (crash-recovery, chaos): runs with fan-out, fan-in, loops and
 * a tool with an external effect are interrupted, and each must end exactly as an uninterrupted run of the same
 * flowchart and input does.
 */

/** The scripted model every flow uses (`crash`): 40 ms per answer; `after-memory` prompts do not echo `upstream`. */
export const CRASH_MODEL = {
  name: 'crash', provider: 'scripted', model: 'scripted',
  settings: {
    responses: [
      { match: 'after-memory', output: { node: '{{node.id}}', it: '{{node.iteration}}', k: '{{input.k}}' }, delay_ms: 40 },
      { output: { node: '{{node.id}}', it: '{{node.iteration}}', k: '{{input.k}}', up: '{{upstream}}' }, delay_ms: 40 },
    ],
  },
};

const taskCfg = (id: string, prompt = `node ${id} {{input.k}}`) => ({ id, type: 'task', config: { model: 'crash', prompt, output_schema: { type: 'object' } } });

export const CRASH_FLOWS: Record<string, Record<string, unknown>> = {
  fanout: {
    schema_version: 1, name: 'crash fan-out', nodes: [{ id: 's', type: 'start' }, ...['a', 'b', 'c', 'd', 'e'].map((n) => taskCfg(n)), { ...taskCfg('j'), fan_in: { policy: 'all' } }, { id: 'z', type: 'end' }],
    edges: [...['a', 'b', 'c', 'd', 'e'].flatMap((n, i) => [{ id: `s${i}`, source: 's', target: n }, { id: `j${i}`, source: n, target: 'j' }]), { id: 'jz', source: 'j', target: 'z' }],
  },
  loop: {
    schema_version: 1, name: 'crash loop', nodes: [{ id: 's', type: 'start' }, taskCfg('h'), taskCfg('b'), { id: 'z', type: 'end' }],
    edges: [{ id: 'e1', source: 's', target: 'h' }, { id: 'e2', source: 'h', target: 'b' }, { id: 'e3', source: 'b', target: 'h', condition: 'node.iteration < 10' }, { id: 'e4', source: 'b', target: 'z', condition: 'node.iteration >= 10' }],
  },
  branches: {
    schema_version: 1, name: 'crash branches', nodes: [{ id: 's', type: 'start' }, { id: 'd', type: 'decision', config: { match: 'all' } }, taskCfg('x'), taskCfg('y'), taskCfg('w'), taskCfg('j'), { id: 'z', type: 'end' }],
    edges: [{ id: 'e1', source: 's', target: 'd' }, { id: 'e2', source: 'd', target: 'x', condition: 'input.k % 2 = 0' }, { id: 'e3', source: 'd', target: 'y', condition: 'true' }, { id: 'e4', source: 'd', target: 'w', condition: 'input.k > 100' },
      { id: 'e5', source: 'x', target: 'j' }, { id: 'e6', source: 'y', target: 'j' }, { id: 'e7', source: 'w', target: 'j' }, { id: 'e8', source: 'j', target: 'z' }],
  },
  /** A loop whose body writes a memory (a row in `memories`, outside the run store) through the tool ledger. */
  memoryloop: {
    schema_version: 1, name: 'crash memory loop',
    nodes: [{ id: 's', type: 'start' }, taskCfg('h'), { id: 'm', type: 'memory', config: { op: 'add', text: 'k {{input.k}} iteration {{node.iteration}}', scope: 'flowchart' } }, taskCfg('b', 'after-memory b {{input.k}}'), { id: 'z', type: 'end' }],
    edges: [{ id: 'e1', source: 's', target: 'h' }, { id: 'e2', source: 'h', target: 'm' }, { id: 'e3', source: 'm', target: 'b' }, { id: 'e4', source: 'b', target: 'h', condition: 'node.iteration < 5' }, { id: 'e5', source: 'b', target: 'z', condition: 'node.iteration >= 5' }],
  },
};

/** A started run: which flow, which input. */
export interface StartedRun {
  id: string;
  flow: string;
  k: number;
}

/** Creates the crash model and the named flows; resolves with flow name → flowchart id. */
export async function setUpCrashFlows(url: string, flows: string[]): Promise<Record<string, string>> {
  await callApi(url, 'POST', '/api/models', CRASH_MODEL);
  const ids: Record<string, string> = {};
  for (const name of flows) ids[name] = (await callApi(url, 'POST', '/api/flowcharts', CRASH_FLOWS[name])).id;
  return ids;
}

/** Long-polls a run until it is succeeded, failed or canceled. */
export async function finishedRun(url: string, id: string): Promise<Run & { last_sequence: number }> {
  for (;;) {
    const run = await callApi(url, 'GET', `/api/runs/${id}?wait_s=30`);
    if (['succeeded', 'failed', 'canceled'].includes(run.status)) return run;
  }
}

/**
 * Waits for every started run, then checks each against an uninterrupted run of the same flowchart and input:
 * succeeded with the same output, every node-run key completed once (the same keys), nothing left queued or running,
 * a gap-free event log. Resolves with the finished runs.
 */
export async function assertRunsMatchUninterrupted(url: string, started: StartedRun[], ids: Record<string, string>): Promise<Run[]> {
  const finished: Run[] = [];
  for (const s of started) finished.push(await finishedRun(url, s.id));
  for (const [i, s] of started.entries()) {
    const ref = await finishedRun(url, (await callApi(url, 'POST', `/api/flowcharts/${ids[s.flow]}/runs`, { input: { k: s.k } })).id);
    const run = finished[i]! as Run & { last_sequence: number };
    assert.equal(run.status, 'succeeded', `run ${run.id} (${s.flow}) ended ${run.status}: ${JSON.stringify(run.error)}`);
    assert.deepEqual(run.output, ref.output, `run ${run.id} (${s.flow}) output differs from an uninterrupted run`);
    const completed = new Map<string, number>();
    for (const nr of run.node_runs ?? []) {
      assert.ok(!['queued', 'running'].includes(nr.status), `node run ${nr.id} left ${nr.status}`);
      if (nr.status === 'succeeded') completed.set(nr.idempotency_key, (completed.get(nr.idempotency_key) ?? 0) + 1);
    }
    for (const [key, n] of completed) assert.equal(n, 1, `${key} completed ${n} times`);
    assert.deepEqual([...completed.keys()].sort(), (ref.node_runs ?? []).filter((x) => x.status === 'succeeded').map((x) => x.idempotency_key.replace(ref.id, run.id)).sort());
    const events = await callApi(url, 'GET', `/api/runs/${run.id}/events?after_sequence=0&limit=1000`);
    assert.deepEqual(events.map((e: { sequence: number }) => e.sequence), events.map((_: unknown, j: number) => j + 1), `run ${run.id}: gap in its event log`);
    assert.equal(events.length, run.last_sequence);
  }
  return finished;
}
