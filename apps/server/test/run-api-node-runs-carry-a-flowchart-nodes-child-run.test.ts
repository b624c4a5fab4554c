import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAgainst, type EventEnvelope, type NodeRun } from '@llmctl/contracts';
import { startTestServer } from './support/test-server.ts';

// Known defect: the run log's projection (studio, CLI) shows a `flowchart` node run's `child_run`, but the REST view
// of node runs did not. On the real server (PostgreSQL), `GET /api/runs/:id` (also with `?wait_s`) carries the same
// `child_run` the parent's `subflow.child_started` / `subflow.child_finished` events fold to, and only on that node run.
test('GET /api/runs/:id shows a flowchart node run\'s child_run as the parent\'s log records it', async () => {
  const s = await startTestServer();
  try {
    const child = (await s.request('POST', '/api/flowcharts', {
      schema_version: 1, name: 'Child', nodes: [{ id: 'start', type: 'start' }, { id: 'done', type: 'end', config: { output: { echoed: '{{input.n}}' } } }],
      edges: [{ id: 'e1', source: 'start', target: 'done' }],
    })).body.data.id as string;
    const parent = await s.request('POST', '/api/flowcharts', {
      schema_version: 1, name: 'Parent',
      nodes: [{ id: 'start', type: 'start' }, { id: 'sub', type: 'flowchart', config: { flowchart_id: child, input: { n: 7 } } }, { id: 'done', type: 'end' }],
      edges: [{ id: 'e1', source: 'start', target: 'sub' }, { id: 'e2', source: 'sub', target: 'done' }],
    });
    assert.equal(parent.status, 201, JSON.stringify(parent.body));
    const runId = (await s.request('POST', `/api/flowcharts/${parent.body.data.id}/runs`, { input: {} })).body.data.id as string;
    const waited = (await s.request('GET', `/api/runs/${runId}?wait_s=30`)).body.data;
    assert.equal(waited.status, 'succeeded');

    const events = (await s.request('GET', `/api/runs/${runId}/events?after_sequence=0&limit=1000`)).body.data as EventEnvelope[];
    const one = (kind: string) => {
      const found = events.filter((e) => e.payload.kind === kind);
      assert.equal(found.length, 1, kind);
      return found[0]!.payload as Record<string, string>;
    };
    const started = one('subflow.child_started');
    const finished = one('subflow.child_finished');
    const expected = {
      id: started.child_run_id, flowchart_id: child, status: 'succeeded', error: null, started_at: started.at, finished_at: finished.at,
    };

    const read = (await s.request('GET', `/api/runs/${runId}`)).body.data;
    for (const run of [waited, read]) {
      const nodeRuns = run.node_runs as NodeRun[];
      const sub = nodeRuns.find((n) => n.node_id === 'sub')!;
      assert.deepEqual(sub.child_run, expected);
      assert.equal(sub.id, finished.node_run_id);
      for (const n of nodeRuns.filter((x) => x.node_id !== 'sub')) assert.equal('child_run' in n, false, n.node_id);
      for (const n of nodeRuns) assert.deepEqual(validateAgainst('node-run', n).errors, [], n.node_id);
    }
    const childRun = (await s.request('GET', `/api/runs/${expected.id}`)).body.data;
    assert.equal(childRun.parent_run_id, runId);
    assert.equal(childRun.node_runs.some((n: NodeRun) => 'child_run' in n), false);
  } finally {
    await s.close();
  }
});
