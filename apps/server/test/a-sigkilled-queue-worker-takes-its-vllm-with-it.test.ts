import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase } from '../../../scripts/test-database.ts';
import { callApi as api, startChildServer, stopChildServer } from './support/child-server.ts';
import { startWorker, stopWorker, until, type WorkerProcess } from './support/queue-workers.ts';

const STUB = fileURLToPath(new URL('./support/stub-vllm.mjs', import.meta.url));

/** True once `pid` has ended (no such process, or a zombie nobody reaped yet). */
function ended(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').startsWith('Z');
  } catch {
    return true;
  }
}

// Known defect: vLLM runs in a process group of its own, so a queue worker killed with SIGKILL (no chance to stop it)
// left its vLLM running. Each server now has a reaper that sees the worker's end (its stdin pipe closes) and stops the
// server's group. The stub vLLM's pid is written by its launcher; the test waits on that process's state.
test('llmctl worker --class vllm killed with SIGKILL: the vLLM it started exits too', { timeout: 300_000 }, async () => {
  const bin = await mkdtemp(join(tmpdir(), 'llmctl-vllm-'));
  const pidFile = join(bin, 'vllm.pid');
  await writeFile(join(bin, 'vllm'), `#!/bin/sh\necho $$ > "${pidFile}"\nexec "${process.execPath}" "${STUB}" "$@"\n`);
  await chmod(join(bin, 'vllm'), 0o755);
  const state = join(bin, 'state.log');
  const db = await createTestDatabase({ migrated: true });
  const server = await startChildServer(db.url, { LLMCTL_EXECUTOR_POLL_MS: '200' });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  let worker: WorkerProcess | null = null;
  let vllmPid: number | null = null;
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
    assert.equal(done.status, 'succeeded', worker.output());
    vllmPid = Number((await readFile(pidFile, 'utf8')).trim());
    assert.ok(vllmPid > 0 && !ended(vllmPid), 'the worker\'s vLLM is running');

    assert.equal(await stopWorker(worker, 'SIGKILL'), null);
    worker = null;
    const pid = vllmPid;
    await until(async () => ended(pid), `vLLM (pid ${pid}) to exit after its worker was killed`, 600);
    const lines = (await readFile(state, 'utf8')).trim().split('\n');
    assert.equal(lines[lines.length - 1], 'stopped', 'vLLM was stopped with SIGTERM (it said so), not left running');
  } finally {
    if (worker) await stopWorker(worker, 'SIGKILL');
    if (vllmPid !== null && !ended(vllmPid)) process.kill(vllmPid, 'SIGKILL');
    await stopChildServer(server);
    await pool.end();
    await db.drop();
    await rm(bin, { recursive: true, force: true });
  }
});
