import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './support/test-server.ts';
import { scriptedModel, validDoc } from './support/documents.ts';
import { cliEnv, runCli } from './support/cli.ts';

test('llmctl flowcharts list|show and runs list|show|events|logs read the API as tables or --json; a failed run prints the exact retry command', async () => {
  const s = await startTestServer();
  const env = cliEnv();
  const cli = (...args: string[]) => runCli([...args, '--server', s.url], env);
  try {
    assert.equal((await s.request('POST', '/api/models', scriptedModel('m1'))).status, 201);
    assert.equal((await s.request('POST', '/api/models', { name: 'broken', provider: 'scripted', settings: { responses: [{ output: 'never', fail_times: 1000, fail_code: 'provider_bad_request' }] } })).status, 201);
    const fc = (await s.request('POST', '/api/flowcharts', validDoc('Greeter', 'm1'))).body.data.id as string;
    const bad = (await s.request('POST', '/api/flowcharts', validDoc('Doomed', 'broken'))).body.data.id as string;

    const list = await cli('flowcharts', 'list');
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^ID\s+NAME\s+VERSION\s+UPDATED/m);
    assert.match(list.stdout, new RegExp(`${fc}\\s+Greeter\\s+1`));
    const json = JSON.parse((await cli('flowcharts', 'list', '--json', '--search', 'doom')).stdout) as { id: string }[];
    assert.deepEqual(json.map((f) => f.id), [bad]);
    const show = await cli('flowcharts', 'show', fc);
    assert.match(show.stdout, /ask\s+task\s+m1/);
    assert.match(show.stdout, /e1\s+start → ask\s+trigger/);

    const ok = await cli('run', fc, '--input', '{"name":"Ada"}');
    assert.equal(ok.code, 0, ok.stderr);
    const failed = await cli('run', bad, '--input', '{"name":"Ada"}');
    assert.equal(failed.code, 1);
    const runId = /run (run_[0-9a-z]+) started/.exec(failed.stdout)?.[1];
    assert.ok(runId, failed.stdout);
    const nodeRun = (await s.request('GET', `/api/runs/${runId}`)).body.data.node_runs.find((n: { node_id: string }) => n.node_id === 'ask');
    assert.match(failed.stderr, new RegExp(`failed node run ${nodeRun.id} \\(node ask\\): \\[provider_bad_request\\]`));
    assert.ok(failed.stderr.includes(`llmctl runs retry ${runId} --node-run ${nodeRun.id}`), failed.stderr);

    const runs = await cli('runs', 'list', '--status', 'failed');
    assert.equal(runs.code, 0, runs.stderr);
    assert.match(runs.stdout, new RegExp(`${runId}\\s+Doomed\\s+failed`));
    assert.doesNotMatch(runs.stdout, /Greeter/);
    const shown = await cli('runs', 'show', runId!);
    assert.match(shown.stdout, new RegExp(`${nodeRun.id}\\s+ask\\s+1\\s+failed`));
    const events = JSON.parse((await cli('runs', 'events', runId!, '--json')).stdout) as { sequence: number; idempotency_key: string }[];
    assert.deepEqual(events.map((e) => e.sequence), events.map((_, i) => i + 1));
    assert.equal(events[0]?.idempotency_key, `${runId}:1`);
    const logs = await cli('runs', 'logs', runId!);
    assert.match(logs.stdout, /^SEQ\s+TIME\s+EVENT\s+DETAIL/m);
    assert.match(logs.stdout, /node\.failed\s+ask/);
    const badLimit = await cli('runs', 'list', '--limit', '500');
    assert.equal(badLimit.code, 1);
    assert.match(badLimit.stderr, /--limit must be a whole number from 1 to 100/);
  } finally {
    await s.close();
  }
});
