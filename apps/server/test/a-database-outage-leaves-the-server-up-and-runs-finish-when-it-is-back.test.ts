import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Run } from '@llmctl/contracts';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { callApi, startChildServer, stopChildServer } from './support/child-server.ts';
import { startGatedModel } from './support/gated-model.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';

// Issue 13, defect 4: killing the database made `serve` exit within ~2 s (unhandled rejection in RunActor.flush).

async function health(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/api/health`);
  return { status: res.status, body: await res.json() };
}

/** Polls health until it answers `status` (bounded: the state is reached or the test fails). */
async function healthUntil(url: string, status: number): Promise<{ status: number; body: any }> {
  for (let i = 0; i < 600; i++) {
    const h = await health(url);
    if (h.status === status) return h;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`health never answered ${status}`);
}

async function finished(url: string, id: string): Promise<Run & { last_sequence: number }> {
  for (;;) {
    const run = await callApi(url, 'GET', `/api/runs/${id}?wait_s=30`);
    if (['succeeded', 'failed', 'canceled'].includes(run.status)) return run;
  }
}

test('a database outage: health answers 503 unreachable, the server stays up, the run finishes as an uninterrupted one once the database is back', { timeout: 180_000 }, async () => {
  const db = await createTestDatabase({ migrated: true });
  const proxy = await startTcpProxy(Number(new URL(db.url).port));
  const model = await startGatedModel();
  const proc = await startChildServer(proxy.via(db.url), { LLMCTL_ALLOWED_BASE_URLS: '127.0.0.1' });
  let exited: number | string | null = null;
  proc.child.on('exit', (code, signal) => (exited = code ?? signal));
  try {
    await callApi(proc.url, 'POST', '/api/models', { name: 'gated', provider: 'openai_compatible', model: 'gated', base_url: model.baseUrl });
    const task = (id: string, prompt: string) => ({ id, type: 'task', config: { model: 'gated', prompt, output_schema: { type: 'object' } } });
    const fc = await callApi(proc.url, 'POST', '/api/flowcharts', {
      schema_version: 1, name: 'outage',
      nodes: [{ id: 's', type: 'start' }, task('a', 'HOLD a {{input.k}}'), task('b', 'b after {{upstream.a.echo}}'), { id: 'z', type: 'end' }],
      edges: [{ id: 'e1', source: 's', target: 'a' }, { id: 'e2', source: 'a', target: 'b' }, { id: 'e3', source: 'b', target: 'z' }],
    });
    const run = await callApi(proc.url, 'POST', `/api/flowcharts/${fc.id}/runs`, { input: { k: 7 } });
    await model.held();

    // Cut the network to PostgreSQL: the server must stay up and say why it is unavailable.
    await proxy.cut();
    const down = await healthUntil(proc.url, 503);
    assert.equal(down.body.ok, false);
    assert.equal(down.body.error.code, 'unavailable');
    assert.equal(down.body.error.details.database, 'unreachable');
    assert.equal(down.body.error.details.reason, 'database_unreachable');
    // The model answers while the database is still down: the result waits (commit retried), nothing is lost.
    model.release();
    await model.answered();
    assert.equal((await health(proc.url)).status, 503);
    // API reads during the outage are coded 503s, not 500s.
    const read = await fetch(`${proc.url}/api/runs/${run.id}`);
    assert.equal(read.status, 503);
    assert.equal(((await read.json()) as { error: { code: string } }).error.code, 'unavailable');
    assert.equal(exited, null, 'the server exited during the outage');

    await proxy.restore();
    const up = await healthUntil(proc.url, 200);
    assert.equal(up.body.data.status, 'ok');
    const done = await finished(proc.url, run.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.equal(model.calls.get('HOLD a 7'), 1, 'the held model call was made again');
    const events = await callApi(proc.url, 'GET', `/api/runs/${run.id}/events?after_sequence=0&limit=1000`);
    assert.deepEqual(events.map((e: { sequence: number }) => e.sequence), events.map((_: unknown, i: number) => i + 1));
    assert.equal(events.length, done.last_sequence);
    for (const nr of done.node_runs ?? []) assert.ok(!['queued', 'running'].includes(nr.status), `${nr.id} left ${nr.status}`);

    // Reference: the same flowchart and input without an outage.
    const ref = await finished(proc.url, (await callApi(proc.url, 'POST', `/api/flowcharts/${fc.id}/runs`, { input: { k: 7 } })).id);
    assert.equal(ref.status, 'succeeded');
    assert.deepEqual(done.output, ref.output);
    assert.equal(exited, null);
  } finally {
    await stopChildServer(proc, 'SIGKILL');
    await model.close();
    await proxy.close();
    await db.drop();
  }
});
