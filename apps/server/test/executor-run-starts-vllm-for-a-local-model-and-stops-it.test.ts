import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXECUTOR_RESULT_PREFIX, EXECUTOR_STARTED_MARKER } from '@llmctl/contracts';
import { parseExecutorOutput } from '@llmctl/executors';

const BIN = fileURLToPath(new URL('../bin/llmctl.mjs', import.meta.url));
const STUB = fileURLToPath(new URL('./support/stub-vllm.mjs', import.meta.url));

/** A directory holding a `vllm` executable that runs the stub server (put first on PATH). */
async function stubVllmDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'llmctl-vllm-'));
  await writeFile(join(dir, 'vllm'), `#!/bin/sh\nexec "${process.execPath}" "${STUB}" "$@"\n`);
  await chmod(join(dir, 'vllm'), 0o755);
  return dir;
}

function runExecutor(file: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'executor', 'run', '--payload-file', file], {
      env: { ...process.env, LLMCTL_LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function payload(provider: string) {
  const now = new Date().toISOString();
  return {
    v: 1,
    flowchart: {
      schema_version: 1, name: 'x',
      nodes: [{ id: 's', type: 'start' }, { id: 'a', type: 'task', config: { model: 'local', prompt: 'who?', output_schema: { type: 'object', required: ['who'] } } }, { id: 'z', type: 'end' }],
      edges: [{ id: 'e1', source: 's', target: 'a' }, { id: 'e2', source: 'a', target: 'z' }],
    },
    models: [{ name: 'local', provider, model: 'Qwen/Qwen2.5-0.5B-Instruct', base_url: null, api_key: null, settings: {} }],
    attempt: {
      v: 1, dispatch_id: 'run_v:3', node_id: 'a', attempt: 1,
      run: { id: 'run_v', flowchart_id: 'fc_v', flowchart_version: 1, input: {}, started_at: now, correlation_id: null, request_id: null },
      node_run: {
        id: 'nr_a', node_id: 'a', node_type: 'task', iteration: 1, status: 'running', tokens: [], idempotency_key: 'run:run_v:node:a:iter:1',
        retry_of: null, rewound_from: null, queued_seq: 3, created_order: 2, started_seq: 5, done_seq: null, context: {}, output: null, routing: null,
        error: null, outcome: null, fallback_used: false, degraded_reason: null, warnings: [], attempts: [{ n: 1, started_at: now, finished_at: null, error: null }],
        usage: null, started_at: now, finished_at: null,
      },
      scope: { input: {}, upstream: { s: {} }, context: {}, node: { id: 'a', iteration: 1 }, run: { id: 'run_v', started_at: now } },
      triggering: {},
    },
  };
}

test('llmctl executor run: a vllm_local model starts vLLM on loopback, is answered over its OpenAI API, and vLLM is stopped before the result line', async () => {
  const bin = await stubVllmDir();
  try {
    for (const provider of ['vllm_local', 'vllm']) {
      const state = join(bin, `state-${provider}.log`);
      const file = join(bin, `payload-${provider}.json`);
      await writeFile(file, JSON.stringify(payload(provider)), { mode: 0o600 });
      const r = await runExecutor(file, { PATH: `${bin}${delimiter}${process.env.PATH}`, STUB_VLLM_STATE_FILE: state });
      assert.equal(r.code, 0, r.stderr);
      const out = r.stdout.split('\n').filter(Boolean);
      assert.equal(out[0], EXECUTOR_STARTED_MARKER);
      assert.ok(out[out.length - 1]!.startsWith(EXECUTOR_RESULT_PREFIX));
      const parsed = parseExecutorOutput(r.stdout);
      assert.ok(parsed.ok && parsed.line.ok, r.stdout + r.stderr);
      assert.deepEqual(parsed.line.result?.output, { who: 'vllm Qwen/Qwen2.5-0.5B-Instruct' });
      // vLLM's streamed answer is printed as token lines before the result line
      const tokens = out.filter((l) => l.startsWith('LLMCTL_EXECUTOR_TOKEN=')).map((l) => JSON.parse(l.slice('LLMCTL_EXECUTOR_TOKEN='.length)) as { s: number; t: string });
      assert.deepEqual(tokens.map((x) => x.s), [0, 1]);
      assert.equal(tokens.map((x) => x.t).join(''), JSON.stringify({ who: 'vllm Qwen/Qwen2.5-0.5B-Instruct' }));
      // the server was started with the default command on loopback, called once, and stopped before the process ended
      const lines = (await readFile(state, 'utf8')).trim().split('\n');
      assert.equal(lines.length, 3, lines.join('\n'));
      const argv = JSON.parse(lines[0]!.slice('started '.length)) as string[];
      assert.deepEqual(argv.slice(0, 4), ['serve', 'Qwen/Qwen2.5-0.5B-Instruct', '--host', '127.0.0.1']);
      assert.equal(argv[4], '--port');
      assert.match(argv[5]!, /^\d+$/);
      assert.deepEqual(lines.slice(1), ['chat Qwen/Qwen2.5-0.5B-Instruct', 'stopped']);
    }
  } finally {
    await rm(bin, { recursive: true, force: true });
  }
});

test('llmctl executor run: a vLLM that exits at start gives one coded failure line (vllm_start_failed) with its output', async () => {
  const bin = await stubVllmDir();
  try {
    const file = join(bin, 'payload.json');
    await writeFile(file, JSON.stringify(payload('vllm_local')), { mode: 0o600 });
    const r = await runExecutor(file, { PATH: `${bin}${delimiter}${process.env.PATH}`, STUB_VLLM_MODE: 'exit' });
    assert.equal(r.code, 0, r.stderr);
    const parsed = parseExecutorOutput(r.stdout);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.equal(parsed.line.ok, false);
    assert.equal(parsed.line.error?.code, 'vllm_start_failed');
    assert.equal(parsed.line.error?.details.reason, 'exited');
    assert.match(String(parsed.line.error?.details.output), /no kernel image/);
    // a command that does not exist at all is the same coded failure
    const missing = await runExecutor(file, { LLMCTL_VLLM_COMMAND: join(bin, 'no-such-vllm serve {model} --port {port}') });
    const p2 = parseExecutorOutput(missing.stdout);
    assert.ok(p2.ok && p2.line.ok === false && p2.line.error?.code === 'vllm_start_failed', missing.stdout);
  } finally {
    await rm(bin, { recursive: true, force: true });
  }
});
