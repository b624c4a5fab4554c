import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LlmctlError } from '@llmctl/contracts';
import { LocalVllmServers, startLocalVllm, type LocalVllm } from '@llmctl/executors';

const STUB = fileURLToPath(new URL('./support/stub-vllm.mjs', import.meta.url));

test('a vLLM that never answers /health within the startup timeout is stopped and fails with vllm_start_failed (timeout)', async () => {
  const tag = randomUUID();
  const env = { ...process.env, STUB_VLLM_MODE: 'hang' };
  const err = await startLocalVllm('m', { command: `${process.execPath} ${STUB} serve {model} --host {host} --port {port} --tag ${tag}`, startupTimeoutMs: 300, env, log: () => undefined })
    .then(() => null, (e: unknown) => e);
  assert.ok(err instanceof LlmctlError, String(err));
  assert.equal(err.code, 'vllm_start_failed');
  assert.equal(err.details.reason, 'timeout');
  assert.equal(err.retryable, true);
  // the failed start waited for the process to end: nothing with its tag is left running
  assert.ok(!execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).includes(tag), 'the vLLM process was stopped');
});

test('local vLLM servers: one per model, reused, started again after one died, and all stopped by stopAll', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'llmctl-vllm-'));
  try {
    const state = join(dir, 'state.log');
    const servers = new LocalVllmServers({ command: `${process.execPath} ${STUB} serve {model} --host {host} --port {port}`, env: { ...process.env, STUB_VLLM_STATE_FILE: state }, log: () => undefined });
    const [a1, a2, b] = await Promise.all([servers.baseUrlFor('a'), servers.baseUrlFor('a'), servers.baseUrlFor('b')]);
    assert.equal(a1, a2);
    assert.notEqual(a1, b);
    assert.match(a1, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const models = await (await fetch(`${a1}/models`)).json() as { data: { id: string }[] };
    assert.deepEqual(models.data.map((m) => m.id), ['a']);
    // the server of b crashes: the next use starts a new one
    const crashed = await startedServer(servers, 'b');
    process.kill(crashed.pid, 'SIGKILL');
    await crashed.exited;
    const b2 = await servers.baseUrlFor('b');
    assert.notEqual(b2, b);
    assert.equal((await fetch(`${b2}/models`)).status, 200);
    await servers.stopAll();
    const lines = (await readFile(state, 'utf8')).trim().split('\n');
    assert.equal(lines.filter((l) => l.startsWith('started')).length, 3);
    assert.equal(lines.filter((l) => l === 'stopped').length, 2, 'the two live servers were stopped (the crashed one could not say so)');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** The running server of `model` (test access to the private map). */
async function startedServer(servers: LocalVllmServers, model: string): Promise<LocalVllm> {
  return (servers as unknown as { servers: Map<string, Promise<LocalVllm>> }).servers.get(model)!;
}
