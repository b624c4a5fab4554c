import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { scriptedModel, validDoc } from './support/documents.ts';
import { workspaceDirOf } from '../src/runtime/workspace-dir.ts';
import { cliEnv, runCli } from './support/cli.ts';

async function finishedRun(s: TestServer, flowchartId: string): Promise<string> {
  const r = await s.request('POST', `/api/flowcharts/${flowchartId}/runs`, { input: { name: 'x' } });
  assert.equal(r.status, 201, r.text);
  const id = r.body.data.id as string;
  const done = await s.request('GET', `/api/runs/${id}?wait_s=30`);
  assert.equal(done.body.data.status, 'succeeded');
  return id;
}

async function countRows(s: TestServer, runIds: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['runs', 'run_events', 'node_runs', 'model_calls']) {
    const col = t === 'runs' ? 'id' : 'run_id';
    const r = await s.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t} WHERE ${col} = ANY($1::text[])`, [runIds]);
    out[t] = r.rows[0]!.n;
  }
  return out;
}

test('DELETE /api/runs/:id removes a finished run with its events, node runs, model calls and workspace; 409 while active; 404 unknown', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'llmctl-retention-'));
  const s = await startTestServer({ config: { dataDir } });
  try {
    assert.equal((await s.request('POST', '/api/models', scriptedModel('m1'))).status, 201);
    assert.equal((await s.request('POST', '/api/models', { name: 'slow', provider: 'scripted', settings: { responses: [{ output: 'late', delay_ms: 600_000 }] } })).status, 201);
    const fc = (await s.request('POST', '/api/flowcharts', validDoc('Keep', 'm1'))).body.data.id as string;
    const keep = await finishedRun(s, fc);
    const gone = await finishedRun(s, fc);
    const ws = workspaceDirOf(join(dataDir, 'workspaces'), gone);
    mkdirSync(ws, { recursive: true });
    writeFileSync(join(ws, 'notes.txt'), 'x');
    assert.ok(((await countRows(s, [gone])).run_events ?? 0) > 0);

    const del = await s.request('DELETE', `/api/runs/${gone}`);
    assert.equal(del.status, 200, del.text);
    assert.deepEqual(del.body.data, { id: gone, deleted: true });
    assert.deepEqual(await countRows(s, [gone]), { runs: 0, run_events: 0, node_runs: 0, model_calls: 0 });
    assert.equal(existsSync(ws), false);
    assert.equal((await s.request('GET', `/api/runs/${gone}`)).status, 404);
    assert.equal((await s.request('GET', `/api/runs/${keep}`)).status, 200);
    assert.equal((await s.request('DELETE', `/api/runs/${gone}`)).body.error.code, 'not_found');

    const slowFc = (await s.request('POST', '/api/flowcharts', validDoc('Slow', 'slow'))).body.data.id as string;
    const active = (await s.request('POST', `/api/flowcharts/${slowFc}/runs`, { input: { name: 'x' } })).body.data.id as string;
    const refused = await s.request('DELETE', `/api/runs/${active}`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'conflict');
    assert.equal((await s.request('POST', `/api/runs/${active}/control`, { action: 'cancel' })).status, 200);
    const canceled = await s.request('GET', `/api/runs/${active}?wait_s=30`);
    assert.equal(canceled.body.data.status, 'canceled');
    assert.equal((await s.request('DELETE', `/api/runs/${active}`)).status, 200);
  } finally {
    await s.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('retention keeps the newest N runs per flowchart, drops runs older than D days, and per-flowchart rules override the global one', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'llmctl-retention-'));
  const s = await startTestServer({ config: { dataDir } });
  try {
    assert.equal((await s.request('POST', '/api/models', scriptedModel('m1'))).status, 201);
    const a = (await s.request('POST', '/api/flowcharts', validDoc('A', 'm1'))).body.data.id as string;
    const b = (await s.request('POST', '/api/flowcharts', validDoc('B', 'm1'))).body.data.id as string;
    const runsA: string[] = [];
    for (let i = 0; i < 4; i += 1) runsA.push(await finishedRun(s, a));
    const runsB: string[] = [];
    for (let i = 0; i < 3; i += 1) runsB.push(await finishedRun(s, b));

    const bad = await s.request('PUT', '/api/settings/runtime', { retention: { keep_last_runs: -1 } });
    assert.equal(bad.status, 400);
    const put = await s.request('PUT', '/api/settings/runtime', {
      retention: { keep_finished_days: 0, keep_last_runs: 2, flowcharts: [{ flowchart_id: b, keep_finished_days: 0, keep_last_runs: 0 }] },
    });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.data.retention.keep_last_runs, 2);

    const pruned = await s.request('POST', '/api/runs/prune', {});
    assert.equal(pruned.status, 200, pruned.text);
    assert.deepEqual([...pruned.body.data.deleted_run_ids].sort(), runsA.slice(0, 2).sort());
    assert.equal((await countRows(s, runsA.slice(2))).runs, 2);
    assert.equal((await countRows(s, runsB)).runs, 3, 'flowchart B is kept by its own rule');

    // Age rule, given in the body: only B's run that finished ten days ago goes.
    await s.db.pool.query("UPDATE runs SET finished_at = now() - interval '10 days' WHERE id = $1", [runsB[1]]);
    const aged = await s.request('POST', '/api/runs/prune', { keep_finished_days: 7, flowchart_id: b });
    assert.deepEqual(aged.body.data.deleted_run_ids, [runsB[1]]);
    assert.equal((await countRows(s, runsB)).runs, 2);
    assert.equal((await s.request('POST', '/api/runs/prune', { keep_last: 1 })).status, 400);

    // The CLI applies the same rules through the API.
    const cli = await runCli(['runs', 'prune', '--keep-last', '1', '--flowchart', a, '--server', s.url], cliEnv());
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /deleted 1 finished run/);
    assert.equal((await countRows(s, runsA)).runs, 1);
    const badFlag = await runCli(['runs', 'prune', '--keep-last', 'many', '--server', s.url], cliEnv());
    assert.equal(badFlag.code, 1);
    assert.match(badFlag.stderr, /--keep-last must be a whole number/);
  } finally {
    await s.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
