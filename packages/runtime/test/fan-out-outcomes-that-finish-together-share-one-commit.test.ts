/**
 * Issue 17, fan-out throughput: node runs started by the same commit whose work ends in the same turn of the event loop
 * hand their outcomes to ONE commit (max_parallel_nodes outcomes per commit), instead of the first outcome going alone
 * and the others in the next commit (which halved the outcomes per commit of a 1→N→1 fan-out). No more than
 * max_parallel_nodes node runs are ever running, and a node run's work still begins only after the commit holding its
 * `node.started` went through.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Commit, NodeExecution } from '../src/index.ts';
import { flow, harness } from './support/harness.ts';

const WIDTH = 24;
const PARALLEL = 8;

function fanOut(width: number) {
  const nodes = [{ id: 's', type: 'start' as const }, ...Array.from({ length: width }, (_, i) => ({ id: `m${i + 1}` })), { id: 'j', fan_in: { policy: 'all' as const } }, { id: 'z', type: 'end' as const }];
  const edges = [...Array.from({ length: width }, (_, i) => `s>m${i + 1}`), ...Array.from({ length: width }, (_, i) => `m${i + 1}>j`), 'j>z'];
  return flow(nodes, edges, { max_parallel_nodes: PARALLEL });
}

test('a 1→24→1 fan-out with max_parallel_nodes 8 commits its branch outcomes 8 at a time, each started only after its start was committed', async () => {
  const committedStarts = new Set<string>();
  const startedBeforeCommit: string[] = [];
  const behaviours: Record<string, (x: NodeExecution) => { output: unknown }> = {};
  for (let i = 1; i <= WIDTH; i++) {
    behaviours[`m${i}`] = (x) => {
      if (!committedStarts.has(x.nodeRun.id)) startedBeforeCommit.push(x.nodeRun.id);
      return { output: { i } };
    };
  }
  const h = await harness(behaviours);
  const succeededPerCommit: number[] = [];
  let mostRunning = 0;
  const commit = h.store.commit.bind(h.store);
  h.store.commit = async (c: Commit) => {
    let n = 0;
    for (const e of c.events) {
      const p = e.payload as { kind: string; node_id?: string; node_run_id?: string };
      if (p.kind === 'node.succeeded' && /^m\d+$/.test(p.node_id ?? '')) n += 1;
    }
    if (n > 0) succeededPerCommit.push(n);
    mostRunning = Math.max(mostRunning, c.node_runs.filter((r) => r.status === 'running').length);
    await commit(c);
    for (const e of c.events) {
      const p = e.payload as { kind: string; node_run_id?: string };
      if (p.kind === 'node.started' && p.node_run_id) committedStarts.add(p.node_run_id);
    }
  };
  try {
    const id = await h.run(fanOut(WIDTH));
    await h.wait(id);
    assert.equal(h.status(id), 'succeeded');
    assert.deepEqual(startedBeforeCommit, [], 'no work began before its node.started was committed');
    assert.ok(mostRunning <= PARALLEL, `at most ${PARALLEL} node runs running in any commit (saw ${mostRunning})`);
    assert.equal(succeededPerCommit.reduce((a, b) => a + b, 0), WIDTH);
    assert.deepEqual(succeededPerCommit, [8, 8, 8], 'each commit carries every outcome that finished together');
  } finally {
    await h.stop();
  }
});
