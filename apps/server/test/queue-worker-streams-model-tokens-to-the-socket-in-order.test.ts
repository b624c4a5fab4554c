import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { callApi as api, startChildServer, stopChildServer } from './support/child-server.ts';
import { startWorker, stopWorker, until, type WorkerProcess } from './support/queue-workers.ts';
import { collect, connectRealtime, subscribe } from './support/realtime.ts';

/** ~24 kB of text with multi-byte characters: more than three NOTIFY payloads, so chunking and order both matter. */
const TEXT = Array.from({ length: 1500 }, (_, i) => `w${String(i).padStart(4, '0')}-é✓ `).join('');

test('a queue worker streams its model tokens through PostgreSQL to the owner, whose socket emits them in order before the node finishes', { timeout: 300_000 }, async () => {
  const db = await createTestDatabase({ migrated: true });
  const server = await startChildServer(db.url, { LLMCTL_EXECUTOR_POLL_MS: '200' });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  let worker: WorkerProcess | null = null;
  const socket = await connectRealtime(server.url);
  try {
    await api(server.url, 'PUT', '/api/settings/runtime', { executor: 'queue' });
    await api(server.url, 'POST', '/api/models', { name: 'talker', provider: 'scripted', model: 'scripted', settings: { responses: [{ output: TEXT }] } });
    const fc = await api(server.url, 'POST', '/api/flowcharts', {
      schema_version: 1, name: 'streaming on a worker',
      nodes: [{ id: 's', type: 'start' }, { id: 'a', type: 'task', config: { model: 'talker', prompt: 'talk' } }, { id: 'z', type: 'end' }],
      edges: [{ id: 'e1', source: 's', target: 'a' }, { id: 'e2', source: 'a', target: 'z' }],
    });
    const got = collect(socket);
    assert.equal((await subscribe(socket, { rooms: [`flowchart:${fc.id}`] })).ok, true);
    worker = await startWorker(pool, db.url, 'streamer');
    const run = await api(server.url, 'POST', `/api/flowcharts/${fc.id}/runs`, { input: {} });
    await until(async () => (await pool.query(`SELECT 1 FROM runs WHERE id = $1 AND status = 'succeeded'`, [run.id])).rowCount, 'the run');
    const view = await api(server.url, 'GET', `/api/runs/${run.id}`);
    const a = view.node_runs.find((n: { node_id: string }) => n.node_id === 'a');
    assert.equal(a.executor.backend, 'queue');
    assert.ok(a.executor.worker_id, 'node a ran on the worker');
    assert.ok(a.output?.text === TEXT, 'node a answered the scripted text');
    const last = view.last_sequence as number;
    const evs = await got.until((e) => e.some((x) => x.run_id === run.id && x.sequence === last));
    const tokens = evs.filter((e) => e.event_type === 'flowchart:node:token' && e.run_id === run.id);
    // ~19.5 kB of UTF-8: at least three NOTIFY payloads under the 8000-byte limit
    assert.ok(tokens.length >= Math.ceil(Buffer.byteLength(TEXT) / 8000), `only ${tokens.length} token events`);
    for (const t of tokens) assert.ok(Buffer.byteLength((t.payload as any).delta) < 8000);
    for (const t of tokens) assert.deepEqual([t.sequence, (t.payload as any).node_id, (t.payload as any).node_run_id], [null, 'a', a.id]);
    const joined = tokens.map((t) => (t.payload as any).delta).join('');
    assert.ok(joined === TEXT, `every chunk once, in order (got ${joined.length} of ${TEXT.length} characters)`);
    // every token arrived before the logged event that finished node a
    const finishedAt = evs.findIndex((e) => e.run_id === run.id && (e.payload as any).kind === 'node.succeeded' && (e.payload as any).node_run_id === a.id);
    assert.ok(finishedAt > evs.indexOf(tokens[tokens.length - 1]!), 'tokens before the node finished');
  } finally {
    socket.close();
    if (worker) await stopWorker(worker, 'SIGKILL');
    await stopChildServer(server);
    await pool.end();
    await db.drop();
  }
});
