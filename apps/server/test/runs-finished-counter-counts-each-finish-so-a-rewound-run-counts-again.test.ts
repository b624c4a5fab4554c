/**
 * `llmctl_runs_finished_total` counts finish transitions, not distinct runs: a run that is rewound and ends again is
 * counted again (a Prometheus counter counts events; counting each run once would need a per-run record that no
 * server restart or second server shares). Its HELP text says so, so nobody reads it as a count of runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './support/test-server.ts';

const DOC = {
  schema_version: 1, name: 'rewind-counts',
  nodes: [{ id: 's', type: 'start' }, { id: 'a', type: 'task', config: { model: 'm', prompt: 'hi' } }, { id: 'z', type: 'end' }],
  edges: [{ id: 'e1', source: 's', target: 'a' }, { id: 'e2', source: 'a', target: 'z' }],
};

function sample(text: string, name: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : null;
}

async function finished(s: TestServer, runId: string): Promise<{ status: string; node_runs: { id: string; node_id: string; status: string }[] }> {
  const run = (await s.request('GET', `/api/runs/${runId}?wait_s=30`)).body.data;
  assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
  return run;
}

test('a run rewound after it succeeded and succeeding again counts two finishes and one start; HELP says finishes are counted', async () => {
  const s = await startTestServer();
  try {
    assert.equal((await s.request('POST', '/api/models', { name: 'm', provider: 'scripted', settings: { responses: [{ output: 'ok' }] } })).status, 201);
    const fc = (await s.request('POST', '/api/flowcharts', DOC)).body.data.id as string;
    const runId = (await s.request('POST', `/api/flowcharts/${fc}/runs`, { input: {} })).body.data.id as string;
    const run = await finished(s, runId);
    const once = await fetch(`${s.url}/metrics`).then((r) => r.text());
    assert.equal(sample(once, 'llmctl_runs_finished_total{status="succeeded"}'), 1);

    const a = run.node_runs.find((n) => n.node_id === 'a' && n.status === 'succeeded')!;
    const rewind = await s.request('POST', `/api/runs/${runId}/control`, { action: 'rewind', node_run_id: a.id });
    assert.equal(rewind.status, 200, rewind.text);
    await finished(s, runId);

    const text = await fetch(`${s.url}/metrics`).then((r) => r.text());
    assert.equal(sample(text, 'llmctl_runs_started_total'), 1, 'one run was started');
    assert.equal(sample(text, 'llmctl_runs_finished_total{status="succeeded"}'), 2, 'the run finished twice');
    const prefix = '# HELP llmctl_runs_finished_total ';
    const help = text.split('\n').find((l) => l.startsWith(prefix))?.slice(prefix.length);
    assert.match(help ?? '', /transition/i);
    assert.match(help ?? '', /rewound run .*counts again/i, `HELP says what is counted: ${help}`);
  } finally {
    await s.close();
  }
});
