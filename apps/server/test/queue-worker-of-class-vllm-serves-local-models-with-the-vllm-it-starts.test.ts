import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { callApi as api, startChildServer, stopChildServer } from './support/child-server.ts';
import { startWorker, stopWorker, until, type WorkerProcess } from './support/queue-workers.ts';

const STUB = fileURLToPath(new URL('./support/stub-vllm.mjs', import.meta.url));

test('llmctl worker --class vllm: a vllm model without a base URL runs on vLLM the worker started on loopback, stopped when the worker drains', { timeout: 300_000 }, async () => {
  const bin = await mkdtemp(join(tmpdir(), 'llmctl-vllm-'));
  await writeFile(join(bin, 'vllm'), `#!/bin/sh\nexec "${process.execPath}" "${STUB}" "$@"\n`);
  await chmod(join(bin, 'vllm'), 0o755);
  const state = join(bin, 'state.log');
  const db = await createTestDatabase({ migrated: true });
  const server = await startChildServer(db.url, { LLMCTL_EXECUTOR_POLL_MS: '200' });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  let worker: WorkerProcess | null = null;
  try {
    await api(server.url, 'PUT', '/api/settings/runtime', { executor: 'queue' });
    await api(server.url, 'POST', '/api/models', { name: 'local', provider: 'vllm', model: 'Qwen/Qwen2.5-0.5B-Instruct' });
    const fc = await api(server.url, 'POST', '/api/flowcharts', {
      schema_version: 1, name: 'local vllm',
      nodes: [{ id: 's', type: 'start' }, { id: 'a', type: 'task', config: { model: 'local', prompt: 'who?', output_schema: { type: 'object', required: ['who'] } } }, { id: 'z', type: 'end' }],
      edges: [{ id: 'e1', source: 's', target: 'a' }, { id: 'e2', source: 'a', target: 'z' }],
    });
    worker = await startWorker(pool, db.url, 'gpu-box', ['--class', 'vllm'], { PATH: `${bin}${delimiter}${process.env.PATH}`, STUB_VLLM_STATE_FILE: state });
    const run = await api(server.url, 'POST', `/api/flowcharts/${fc.id}/runs`, { input: {} });
    const done = await until(async () => (await pool.query(`SELECT status FROM runs WHERE id = $1 AND status IN ('succeeded','failed')`, [run.id])).rows[0], 'the run');
    const view = await api(server.url, 'GET', `/api/runs/${run.id}`);
    const a = view.node_runs.find((n: { node_id: string }) => n.node_id === 'a');
    assert.equal(done.status, 'succeeded', JSON.stringify(a?.error));
    assert.deepEqual(a.output, { who: 'vllm Qwen/Qwen2.5-0.5B-Instruct' });
    assert.deepEqual([a.executor.backend, a.executor.class, typeof a.executor.worker_id], ['queue', 'vllm', 'string']);
    let lines = (await readFile(state, 'utf8')).trim().split('\n');
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.deepEqual(JSON.parse(lines[0]!.slice('started '.length)).slice(0, 4), ['serve', 'Qwen/Qwen2.5-0.5B-Instruct', '--host', '127.0.0.1']);
    assert.equal(lines[1], 'chat Qwen/Qwen2.5-0.5B-Instruct');
    assert.equal(await stopWorker(worker), 0);
    worker = null;
    lines = (await readFile(state, 'utf8')).trim().split('\n');
    assert.equal(lines[lines.length - 1], 'stopped', 'the worker stopped its vLLM');
  } finally {
    if (worker) await stopWorker(worker, 'SIGKILL');
    await stopChildServer(server);
    await pool.end();
    await db.drop();
    await rm(bin, { recursive: true, force: true });
  }
});
