import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { callApi as api, startChildServer, stopChildServer } from './support/child-server.ts';

const task = (id: string) => ({ id, type: 'task', config: { model: 'slow', prompt: `node ${id}`, output_schema: { type: 'object' } } });

test('a run paused with queued activations stays paused across a server restart and resumes to success', { timeout: 120_000 }, async () => {
  const db = await createTestDatabase({ migrated: true });
  let server = await startChildServer(db.url);
  try {
    await api(server.url, 'POST', '/api/models', { name: 'slow', provider: 'scripted', model: 'scripted', settings: { responses: [{ match: 'node a', output: { n: 'a' }, delay_ms: 800 }, { output: { n: '{{node.id}}' } }] } });
    const fc = await api(server.url, 'POST', '/api/flowcharts', {
      schema_version: 1, name: 'pause-restart', settings: { max_parallel_nodes: 1 },
      nodes: [{ id: 's', type: 'start' }, task('a'), task('b'), task('c'), { id: 'z', type: 'end' }],
      edges: [{ id: 'e1', source: 's', target: 'a' }, { id: 'e2', source: 's', target: 'b' }, { id: 'e3', source: 's', target: 'c' }, { id: 'e4', source: 'a', target: 'z' }, { id: 'e5', source: 'b', target: 'z' }, { id: 'e6', source: 'c', target: 'z' }],
    });
    const run = await api(server.url, 'POST', `/api/flowcharts/${fc.id}/runs`, { input: {} });
    let view;
    do view = await api(server.url, 'GET', `/api/runs/${run.id}`);
    while (!view.node_runs.some((n: { node_id: string; status: string }) => n.node_id === 'a' && n.status === 'running'));
    const paused = await api(server.url, 'POST', `/api/runs/${run.id}/control`, { action: 'pause', reason: 'deploy' });
    assert.equal(paused.run.status, 'pausing');
    view = await api(server.url, 'GET', `/api/runs/${run.id}?wait_s=30`);
    assert.equal(view.status, 'paused');
    const queued = view.node_runs.filter((n: { status: string }) => n.status === 'queued').map((n: { node_id: string }) => n.node_id).sort();
    assert.deepEqual(queued, ['b', 'c'], 'activations queued before the pause stay queued');

    await stopChildServer(server, 'SIGTERM');
    server = await startChildServer(db.url);
    await new Promise((r) => setTimeout(r, 300));
    view = await api(server.url, 'GET', `/api/runs/${run.id}`);
    assert.equal(view.status, 'paused', 'a restart does not resume a paused run');
    assert.equal(view.node_runs.filter((n: { status: string }) => n.status === 'queued').length, 2);

    const resumed = await api(server.url, 'POST', `/api/runs/${run.id}/control`, { action: 'resume' });
    // The response is read after the resume committed; the quick nodes may already have finished by then.
    assert.ok(['running', 'succeeded'].includes(resumed.run.status), resumed.run.status);
    view = await api(server.url, 'GET', `/api/runs/${run.id}?wait_s=30`);
    assert.equal(view.status, 'succeeded');
    assert.deepEqual(Object.keys(view.output).sort(), ['a', 'b', 'c']);
    assert.equal(view.node_runs.filter((n: { node_id: string }) => n.node_id === 'b').length, 1, 'the queued node run itself ran, not a copy');
  } finally {
    await stopChildServer(server);
    await db.drop();
  }
});
