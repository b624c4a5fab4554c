import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './support/test-server.ts';

const DOC = {
  schema_version: 1, name: 'rewind-override',
  nodes: [
    { id: 's', type: 'start' },
    { id: 'classify', type: 'task', config: { model: 'm', prompt: 'Classify: {{input.text}}' } },
    { id: 'summarize', type: 'task', config: { model: 'm', prompt: 'Summarize: {{upstream.classify.text}}' } },
    { id: 'z', type: 'end' },
  ],
  edges: [{ id: 'e1', source: 's', target: 'classify' }, { id: 'e2', source: 'classify', target: 'summarize' }, { id: 'e3', source: 'summarize', target: 'z' }],
};

async function finished(server: TestServer, runId: string): Promise<any> {
  const run = (await server.request('GET', `/api/runs/${runId}?wait_s=30`)).body.data;
  assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
  return run;
}

const prompts = async (server: TestServer, runId: string, nodeId: string): Promise<string[]> =>
  (await server.db.pool.query(`SELECT request FROM model_calls WHERE run_id = $1 AND node_id = $2 ORDER BY started_at, id`, [runId, nodeId])).rows
    .map((r) => r.request.messages.at(-1).content as string);

test('rewinding a task with an input_override it never reads is refused with what the override can change; overrides that are read take effect', async () => {
  const server = await startTestServer();
  try {
    assert.equal((await server.request('POST', '/api/models', { name: 'm', provider: 'scripted', settings: { responses: [{ match: 'Classify', output: 'bug: {{input.text}}' }, { output: 'summary' }] } })).status, 201);
    const fc = await server.request('POST', '/api/flowcharts', DOC);
    assert.equal(fc.status, 201, fc.text);
    const runId = (await server.request('POST', `/api/flowcharts/${fc.body.data.id}/runs`, { input: { text: 'crash' } })).body.data.id;
    let run = await finished(server, runId);
    const of = (id: string) => run.node_runs.filter((n: any) => n.node_id === id && n.status !== 'superseded').at(-1);

    // classify reads only the run input: the override (which replaces upstream.s) would change nothing.
    const refused = await server.request('POST', `/api/runs/${runId}/control`, { action: 'rewind', node_run_id: of('classify').id, input_override: { text: 'login fails' } });
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.body.error.code, 'input_override_not_read');
    assert.match(refused.body.error.message, /upstream\.s/);
    assert.match(refused.body.error.message, /start node run/);
    assert.deepEqual(refused.body.error.details.can_change, ['upstream.s']);
    assert.equal((await server.request('GET', `/api/runs/${runId}`)).body.data.status, 'succeeded', 'the refused rewind changed nothing');

    // summarize reads upstream.classify: the override takes effect.
    const ok = await server.request('POST', `/api/runs/${runId}/control`, { action: 'rewind', node_run_id: of('summarize').id, input_override: { text: 'overridden' } });
    assert.equal(ok.status, 200, ok.text);
    run = await finished(server, runId);
    assert.deepEqual((await prompts(server, runId, 'summarize')).at(-1), 'Summarize: overridden');

    // The run input is changed by rewinding start.
    const fromStart = await server.request('POST', `/api/runs/${runId}/control`, { action: 'rewind', node_run_id: of('s').id, input_override: { text: 'login fails' } });
    assert.equal(fromStart.status, 200, fromStart.text);
    run = await finished(server, runId);
    assert.deepEqual((await prompts(server, runId, 'classify')).at(-1), 'Classify: login fails');
    assert.deepEqual(of('classify').output, { text: 'bug: login fails' });
  } finally {
    await server.close();
  }
});
